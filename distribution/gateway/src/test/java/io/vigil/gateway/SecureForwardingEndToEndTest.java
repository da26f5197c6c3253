package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.FreePort;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.SdkRecorders.RecordingSpanExporter;
import io.vigil.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything of #25 in one deployment, configured by YAML alone: the SDK sends to gateway A over
 * TLS with a bearer token; A redacts and forwards over mutual TLS with its own token to gateway
 * B, whose pipeline ends in a capture sink. A client without the token reaches nothing.
 */
class SecureForwardingEndToEndTest {

  @TempDir Path dir;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private TestCertificates.Ca ca;
  private String aGrpc;
  private String aHttp;

  @BeforeEach
  void startGateways() throws Exception {
    CaptureExporterFactory.reset();
    ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued a = ca.server(dir, "gateway-a");
    TestCertificates.Issued b = ca.server(dir, "gateway-b");
    TestCertificates.Issued aAsClient = ca.client(dir, "gateway-a-client");
    Path tokenFile = Files.writeString(dir.resolve("a-to-b.token"), "a-to-b-token\n");
    String bGrpc = FreePort.endpoint();
    aGrpc = FreePort.endpoint();
    aHttp = FreePort.endpoint();
    closeables.add(Gateway.start(String.join("\n",
        "extensions:",
        "  bearertokenauth: {token: a-to-b-token}",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc:",
        "        endpoint: '" + bGrpc + "'",
        "        auth: {authenticator: bearertokenauth}",
        "        tls: {cert_file: " + b.certFile() + ", key_file: " + b.keyFile()
            + ", client_ca_file: " + ca.certFile() + "}",
        "exporters:",
        "  capture: {sink: b}",
        "service:",
        "  extensions: [bearertokenauth]",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [capture]}"), Duration.ofSeconds(5)));
    String tls = "{cert_file: " + a.certFile() + ", key_file: " + a.keyFile() + "}";
    closeables.add(0, Gateway.start(String.join("\n",
        "extensions:",
        "  bearertokenauth/clients: {tokens: [sdk-token]}",
        "  bearertokenauth/upstream: {filename: " + tokenFile + "}",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: {endpoint: '" + aGrpc + "', tls: " + tls
            + ", auth: {authenticator: bearertokenauth/clients}}",
        "      http: {endpoint: '" + aHttp + "', tls: " + tls
            + ", auth: {authenticator: bearertokenauth/clients}}",
        "processors:",
        "  redaction:",
        "    allow_all_keys: true",
        "    blocked_value_presets: [credit_card, email]",
        "    summary: debug",
        "exporters:",
        "  otlp:",
        "    endpoint: localhost:" + bGrpc.substring(bGrpc.indexOf(':') + 1),
        "    tls: {ca_file: " + ca.certFile() + ", cert_file: " + aAsClient.certFile()
            + ", key_file: " + aAsClient.keyFile() + "}",
        "    auth: {authenticator: bearertokenauth/upstream}",
        "    retry_on_failure: {initial_interval: 50ms, max_interval: 200ms}",
        "service:",
        "  extensions: [bearertokenauth/clients, bearertokenauth/upstream]",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], processors: [redaction], exporters: [otlp]}"),
        Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static List<SpanData> spans(String name) {
    RecordingSpanExporter keep = new RecordingSpanExporter(SpanExporter.composite());
    try (SdkTracerProvider p = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(keep)).build()) {
      p.get("secure-test").spanBuilder(name)
          .setAttribute("customer.email", "jane.doe@example.com")
          .setAttribute("note", "paid with 4111 1111 1111 1111").startSpan().end();
    }
    return keep.sent;
  }

  private static boolean send(SpanExporter exporter, String name) {
    try {
      return exporter.export(spans(name)).join(10, TimeUnit.SECONDS).isSuccess();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private SpanExporter grpc(String token) throws Exception {
    var b = OtlpGrpcSpanExporter.builder().setEndpoint("https://localhost:"
        + aGrpc.substring(aGrpc.indexOf(':') + 1))
        .setTrustedCertificates(Files.readAllBytes(ca.certFile()));
    if (token != null) {
      b.addHeader("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  private SpanExporter http(String token) throws Exception {
    var b = OtlpHttpSpanExporter.builder().setEndpoint("https://localhost:"
        + aHttp.substring(aHttp.indexOf(':') + 1) + "/v1/traces")
        .setTrustedCertificates(Files.readAllBytes(ca.certFile()));
    if (token != null) {
      b.addHeader("Authorization", "Bearer " + token);
    }
    return b.build();
  }

  @Test
  void sdkWithTokenReachesTheSecondGatewayRedactedOthersReachNothing() throws Exception {
    assertThat(send(grpc(null), "anonymous")).isFalse();
    assertThat(send(http("guessed"), "guessed")).isFalse();

    assertThat(send(grpc("sdk-token"), "via-grpc")).isTrue();
    assertThat(send(http("sdk-token"), "via-http")).isTrue();

    RecordingConsumer<ExportTraceServiceRequest> atB =
        CaptureExporterFactory.sink("b").get(Signal.TRACES);
    await().atMost(Duration.ofSeconds(15)).until(() -> names(atB).size() == 2);
    assertThat(names(atB)).containsExactlyInAnyOrder("via-grpc", "via-http");
    for (ExportTraceServiceRequest r : atB.batches()) {
      var span = r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
      Map<String, String> attrs = span.getAttributesList().stream().collect(Collectors.toMap(
          KeyValue::getKey, kv -> kv.getValue().hasIntValue()
              ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue()));
      assertThat(attrs).containsEntry("customer.email", "****")
          .containsEntry("note", "paid with ****")
          .containsEntry("redaction.masked.keys", "customer.email,note")
          .containsEntry("redaction.masked.count", "2");
    }
  }

  private static List<String> names(RecordingConsumer<ExportTraceServiceRequest> c) {
    List<String> out = new ArrayList<>();
    c.batches().forEach(r -> r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
        .forEach(ss -> ss.getSpansList().forEach(s -> out.add(s.getName())))));
    return out;
  }
}
