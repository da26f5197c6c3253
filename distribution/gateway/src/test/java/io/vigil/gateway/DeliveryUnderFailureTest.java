package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.testing.FreePort;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.Flatten;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Gateway A forwards over OTLP gRPC to gateway B, whose pipeline ends in a capturing exporter
 * the test can make refuse or stall; a plain grpc-java client sends to A. Proves retry until
 * recovery without loss, counted and logged drops for permanent errors, and independent
 * fan-out branches.
 */
class DeliveryUnderFailureTest {

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private ManagedChannel channel;

  @BeforeEach
  void reset() {
    CaptureExporterFactory.reset();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private String startB(String sink) {
    String endpoint = FreePort.endpoint();
    closeables.add(Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + endpoint + "'}}}}",
        "exporters: {capture: {sink: " + sink + "}}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [capture]}}"), Duration.ofSeconds(2)));
    return endpoint;
  }

  /** Starts A with the given exporters block and traces pipeline exporters; returns A. */
  private Gateway startA(String exportersYaml, String exporterIds) {
    String endpoint = FreePort.endpoint();
    Gateway a = Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + endpoint + "'}}}}",
        "exporters:",
        exportersYaml,
        "service:",
        "  telemetry: {metrics: {address: '127.0.0.1:0'}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [" + exporterIds + "]}}"),
        Duration.ofSeconds(2));
    closeables.add(0, a);
    channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
    return a;
  }

  private void send(ExportTraceServiceRequest r) {
    TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).export(r);
  }

  private static Set<ByteString> spanIds(List<ExportTraceServiceRequest> reqs) {
    Set<ByteString> ids = new HashSet<>();
    Flatten.spans(reqs).forEach(
        r -> ids.add(r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getSpanId()));
    return ids;
  }

  private static double metric(Gateway g, String name, String... labels) throws Exception {
    String body = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.adminPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)} (\\S+)$").matcher(body);
    while (m.find()) {
      boolean all = true;
      for (String l : labels) {
        all &= m.group(1).contains(l);
      }
      if (all) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void downstreamUnavailableForAWhileThenRecoversAndNothingIsLost() throws Exception {
    String b = startB("b");
    RecordingConsumer<ExportTraceServiceRequest> sink = CaptureExporterFactory.sink("b").get(Signal.TRACES);
    AtomicBoolean down = new AtomicBoolean(true);
    List<ExportTraceServiceRequest> accepted = new CopyOnWriteArrayList<>();
    sink.answerWith(batch -> {
      if (down.get()) {
        return CompletableFuture.failedFuture(ConsumeException.retryable("backend restarting"));
      }
      accepted.add(batch);
      return CompletableFuture.completedFuture(null);
    });
    startA(String.join("\n",
        "  otlp:",
        "    endpoint: " + b,
        "    tls: {insecure: true}",
        "    retry_on_failure: {initial_interval: 20ms, max_interval: 100ms, max_elapsed_time: 60s}"),
        "otlp");

    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ExportTraceServiceRequest r = TestData.spans(5);
      sent.add(r);
      send(r);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.batchCount() >= 60);
    assertThat(accepted).isEmpty();
    down.set(false);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(spanIds(accepted)).isEqualTo(spanIds(sent)));
    assertThat(Flatten.spans(accepted)).hasSize(150);
  }

  @Test
  void permanentRefusalIsDroppedCountedAndLogged() throws Exception {
    String b = startB("b");
    CaptureExporterFactory.sink("b").get(Signal.TRACES)
        .refuseWith(ConsumeException.permanent("span attribute too large for the test backend"));
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
        LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      Gateway a = startA(String.join("\n",
          "  otlp:",
          "    endpoint: " + b,
          "    tls: {insecure: true}",
          "    retry_on_failure: {initial_interval: 20ms}"), "otlp");
      for (int i = 0; i < 4; i++) {
        send(TestData.spans(3));
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(metric(a, "otelcol_exporter_send_failed_spans_total",
              "exporter=\"otlp\"", "reason=\"permanent\"")).isEqualTo(12.0));
      assertThat(metric(a, "otelcol_exporter_sent_spans_total", "exporter=\"otlp\"")).isZero();
      assertThat(CaptureExporterFactory.sink("b").get(Signal.TRACES).batchCount())
          .as("a permanent error is not retried").isEqualTo(4);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage())
                .contains("span attribute too large for the test backend");
          }));
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void slowExporterDoesNotStallTheOtherBranch() throws Exception {
    String fast = startB("fast");
    String slow = startB("slow");
    List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    RecordingConsumer<ExportTraceServiceRequest> slowSink =
        CaptureExporterFactory.sink("slow").get(Signal.TRACES);
    slowSink.answerWith(batch -> {
      CompletableFuture<Void> f = new CompletableFuture<>();
      held.add(f);
      return f;
    });
    Gateway a = startA(String.join("\n",
        "  otlp/fast: {endpoint: '" + fast + "', tls: {insecure: true}}",
        "  otlp/slow:",
        "    endpoint: " + slow,
        "    tls: {insecure: true}",
        "    timeout: 60s",
        "    sending_queue: {num_consumers: 1, queue_size: 100}"), "otlp/fast, otlp/slow");

    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ExportTraceServiceRequest r = TestData.spans(2);
      sent.add(r);
      send(r);
    }
    var fastSink = CaptureExporterFactory.sink("fast").get(Signal.TRACES);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(spanIds(fastSink.batches())).isEqualTo(spanIds(sent)));
    assertThat(slowSink.batchCount()).as("the slow branch holds one batch in flight").isEqualTo(1);
    assertThat(metric(a, "otelcol_exporter_queue_size", "exporter=\"otlp/slow\""))
        .as("19 queued and the one in flight").isEqualTo(20.0);

    slowSink.accept();
    held.forEach(f -> f.complete(null));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(spanIds(slowSink.batches())).isEqualTo(spanIds(sent)));
  }
}
