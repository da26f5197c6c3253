package io.vigil.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import io.vigil.testing.Metrics;
import io.vigil.exporter.exporterhelper.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpHttpExporterTest {

  /** One request the server saw. */
  record Seen(long nanos, String path, String encoding, String tenant, byte[] body) {}

  /** What the server answers: status code and optional Retry-After, chosen per request. */
  record Answer(int code, String retryAfter, byte[] body) {}

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile IntFunction<Answer> answer = n -> new Answer(200, null, new byte[0]);
  private HttpServer server;
  private Exporter exporter;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      seen.add(new Seen(System.nanoTime(), ex.getRequestURI().getPath(),
          ex.getRequestHeaders().getFirst("Content-Encoding"),
          ex.getRequestHeaders().getFirst("X-Tenant"), body));
      Answer a = answer.apply(seen.size());
      if (a.retryAfter() != null) {
        ex.getResponseHeaders().set("Retry-After", a.retryAfter());
      }
      ex.sendResponseHeaders(a.code(), a.body().length == 0 ? -1 : a.body().length);
      if (a.body().length > 0) {
        ex.getResponseBody().write(a.body());
      }
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(1));
    }
    server.stop(0);
  }

  private Exporter start(OtlpHttpExporterConfig c) throws Exception {
    c.endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    c.retryOnFailure.initialInterval = Duration.ofMillis(10);
    c.retryOnFailure.maxInterval = Duration.ofMillis(50);
    new OtlpHttpExporterFactory().validate(c);
    exporter = new OtlpHttpExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlphttp"), telemetry), c,
        Set.of(Signal.TRACES, Signal.LOGS));
    exporter.start();
    return exporter;
  }

  private static byte[] gunzip(byte[] b) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @CsvSource({"gzip, gzip", "zstd, zstd", "snappy, snappy", "none, ", "'', "})
  void compressesTheBodyAndNamesItsContentEncoding(String compression, String encoding)
      throws Exception {
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.compression = compression;
    start(c);
    ExportTraceServiceRequest spans = TestData.spans(3);
    exporter.consumer(Signal.TRACES).consume(spans).get(5, TimeUnit.SECONDS);
    await().until(() -> seen.size() == 1);
    Seen t = seen.get(0);
    assertThat(t.encoding()).isEqualTo(encoding);
    Compression used = encoding == null ? Compression.NONE : Compression.valueOf(
        encoding.toUpperCase(java.util.Locale.ROOT));
    byte[] body = used.decompress(new ByteArrayInputStream(t.body())).readAllBytes();
    assertThat(ExportTraceServiceRequest.parseFrom(body)).isEqualTo(spans);
  }

  @Test
  void postsGzippedProtobufToPerSignalPathsWithHeaders() throws Exception {
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.headers.put("X-Tenant", "team-b");
    start(c);
    ExportTraceServiceRequest spans = TestData.spans(3);
    ExportLogsServiceRequest logs = TestData.logs(2);
    exporter.consumer(Signal.TRACES).consume(spans).get(5, TimeUnit.SECONDS);
    exporter.consumer(Signal.LOGS).consume(logs).get(5, TimeUnit.SECONDS);
    await().until(() -> seen.size() == 2);
    Seen t = seen.stream().filter(s -> s.path().equals("/v1/traces")).findFirst().orElseThrow();
    assertThat(t.encoding()).isEqualTo("gzip");
    assertThat(t.tenant()).isEqualTo("team-b");
    assertThat(ExportTraceServiceRequest.parseFrom(gunzip(t.body()))).isEqualTo(spans);
    Seen l = seen.stream().filter(s -> s.path().equals("/v1/logs")).findFirst().orElseThrow();
    assertThat(ExportLogsServiceRequest.parseFrom(gunzip(l.body()))).isEqualTo(logs);
  }

  @Test
  void honoursRetryAfterOn503UntilAccepted() throws Exception {
    answer = n -> n == 1 ? new Answer(503, "1", new byte[0]) : new Answer(200, null, new byte[0]);
    start(new OtlpHttpExporterConfig());
    exporter.consumer(Signal.TRACES).consume(TestData.spans(4)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(Duration.ofNanos(seen.get(1).nanos() - seen.get(0).nanos()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    await().untilAsserted(() ->
        assertThat(Metrics.value(telemetry, "otelcol_exporter_sent_spans")).isEqualTo(4.0));
  }

  @Test
  void badRequestIsPermanentAndCarriesTheStatusMessage() throws Exception {
    byte[] status = com.google.rpc.Status.newBuilder().setCode(3)
        .setMessage("attribute value too long").build().toByteArray();
    answer = n -> new Answer(400, null, status);
    start(new OtlpHttpExporterConfig());
    exporter.consumer(Signal.TRACES).consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    await().untilAsserted(() -> assertThat(Metrics.value(telemetry,
        "otelcol_exporter_send_failed_spans", "reason", "permanent")).isEqualTo(2.0));
    assertThat(seen).hasSize(1);
  }

  @Test
  void retryAfterParsesSecondsAndDates() {
    assertThat(OtlpHttpExporter.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(OtlpHttpExporter.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(OtlpHttpExporter.retryAfter("soon")).isNull();
    assertThat(OtlpHttpExporter.retryAfter(null)).isNull();
  }
}
