package io.vigil.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import io.vigil.testing.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.slf4j.LoggerFactory;

class OtlpGrpcExporterTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FakeOtlpServer server;
  private Exporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(1));
    }
    if (server != null) {
      server.close();
    }
  }

  private Consumer<ExportTraceServiceRequest> start(OtlpExporterConfig c) throws Exception {
    server = server == null ? new FakeOtlpServer() : server;
    c.endpoint = c.endpoint.isEmpty() ? server.endpoint() : c.endpoint;
    c.tls.insecure = true;
    new OtlpExporterFactory().validate(c);
    exporter = new OtlpExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry), c,
        Set.of(Signal.TRACES));
    exporter.start();
    return exporter.consumer(Signal.TRACES);
  }

  private static OtlpExporterConfig fastRetries() {
    OtlpExporterConfig c = new OtlpExporterConfig();
    c.retryOnFailure.initialInterval = Duration.ofMillis(10);
    c.retryOnFailure.maxInterval = Duration.ofMillis(50);
    return c;
  }

  private static io.grpc.StatusRuntimeException status(Code code, Duration retryDelay) {
    com.google.rpc.Status.Builder s =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage("test says " + code);
    if (retryDelay != null) {
      s.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
          com.google.protobuf.Duration.newBuilder().setNanos((int) retryDelay.toNanos())).build()));
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }

  private double metric(String name, String... labels) {
    return Metrics.value(telemetry, name, labels);
  }

  @Test
  void retriesOnUnavailableUntilAcceptedWithNothingLost() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> n <= 4 ? Status.UNAVAILABLE.asRuntimeException()
        : ExportTraceServiceResponse.getDefaultInstance();
    Consumer<ExportTraceServiceRequest> c = start(fastRetries());
    c.consume(TestData.spans(7)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.calls.size() == 5);
    await().untilAsserted(() -> assertThat(metric("otelcol_exporter_sent_spans"))
        .isEqualTo(7.0));
    assertThat(metric("otelcol_exporter_send_failed_spans")).isZero();
    assertThat(server.calls).extracting(FakeOtlpServer.Call::request).allMatch(
        r -> r.equals(server.calls.get(0).request()));
  }

  @Test
  void honoursRetryInfoDelayOverItsOwnBackoff() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> n == 1 ? status(Code.RESOURCE_EXHAUSTED, Duration.ofMillis(400))
        : ExportTraceServiceResponse.getDefaultInstance();
    start(fastRetries()).consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.calls.size() == 2);
    long gap = server.calls.get(1).nanos() - server.calls.get(0).nanos();
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void resourceExhaustedWithoutRetryInfoIsPermanent() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> status(Code.RESOURCE_EXHAUSTED, null);
    start(fastRetries()).consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    await().untilAsserted(() -> assertThat(
        metric("otelcol_exporter_send_failed_spans", "reason", "permanent")).isEqualTo(2.0));
    assertThat(server.calls).hasSize(1);
  }

  @Test
  void permanentErrorIsDroppedCountedAndLoggedWithTheServersMessage() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    var root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vigil");
    root.addAppender(logs);
    try {
      server = new FakeOtlpServer();
      server.answer = n -> status(Code.INVALID_ARGUMENT, null);
      start(fastRetries()).consume(TestData.spans(3)).get(5, TimeUnit.SECONDS);
      await().untilAsserted(() -> assertThat(
          metric("otelcol_exporter_send_failed_spans", "reason", "permanent", "exporter", "otlp"))
          .isEqualTo(3.0));
      assertThat(server.calls).hasSize(1);
      await().untilAsserted(() -> assertThat(logs.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage())
            .contains("dropped 3 spans (permanent)")
            .contains("INVALID_ARGUMENT")
            .contains("test says INVALID_ARGUMENT");
      }));
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void givesUpAfterMaxElapsedTime() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> Status.UNAVAILABLE.asRuntimeException();
    OtlpExporterConfig c = fastRetries();
    // 1s, not less: the first attempt's connection setup counts against it, and on a loaded
    // 2-core CI machine that alone took 360 ms to 2 s (one attempt, then given up).
    c.retryOnFailure.maxElapsedTime = Duration.ofSeconds(1);
    start(c).consume(TestData.spans(4)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        metric("otelcol_exporter_send_failed_spans", "reason", "retries_exhausted")).isEqualTo(4.0));
    assertThat(server.calls.size()).isGreaterThan(2);
  }

  @Test
  void perAttemptTimeoutAgainstAServerThatNeverAnswers() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> n <= 2 ? null : ExportTraceServiceResponse.getDefaultInstance();
    OtlpExporterConfig c = fastRetries();
    c.timeout = Duration.ofMillis(200);
    start(c).consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(1.0));
    assertThat(server.calls).hasSize(3);
  }

  @Test
  void fullQueueRefusesWithRetryableErrorWithoutBlocking() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> null;
    OtlpExporterConfig c = fastRetries();
    c.timeout = Duration.ofSeconds(30);
    c.sendingQueue.numConsumers = 1;
    c.sendingQueue.queueSize = 3;
    Consumer<ExportTraceServiceRequest> consumer = start(c);
    consumer.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    await().until(() -> server.calls.size() == 1);
    for (int i = 0; i < 3; i++) {
      consumer.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    }
    CompletableFuture<Void> refused = consumer.consume(TestData.spans(5));
    assertThat(refused).isCompletedExceptionally();
    assertThat(refused).failsWithin(Duration.ZERO).withThrowableThat()
        .satisfies(t -> assertThat(ConsumeException.from(t).kind())
            .isEqualTo(ConsumeException.Kind.RETRYABLE))
        .withMessageContaining("sending queue of exporter otlp is full");
    assertThat(metric("otelcol_exporter_enqueue_failed_spans")).isEqualTo(5.0);
    // Three queued and the one being sent.
    assertThat(metric("otelcol_exporter_queue_size")).isEqualTo(4.0);
    assertThat(metric("otelcol_exporter_queue_capacity")).isEqualTo(3.0);
  }

  @Test
  void itemsSizerBoundsTheQueueByItemsNotBatches() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> null;
    OtlpExporterConfig c = fastRetries();
    c.timeout = Duration.ofSeconds(30);
    c.sendingQueue.numConsumers = 1;
    c.sendingQueue.sizer = "items";
    c.sendingQueue.queueSize = 10;
    Consumer<ExportTraceServiceRequest> consumer = start(c);
    consumer.consume(TestData.spans(50)).get(5, TimeUnit.SECONDS);
    await().until(() -> server.calls.size() == 1);
    assertThat(consumer.consume(TestData.spans(6))).as("6 of 10").isCompleted();
    CompletableFuture<Void> refused = consumer.consume(TestData.spans(5));
    assertThat(refused).failsWithin(Duration.ZERO).withThrowableThat()
        .satisfies(t -> assertThat(ConsumeException.from(t).isRetryable()).isTrue())
        .withMessageContaining("holds 6 spans, its queue_size is 10 (sizer: items)");
    assertThat(consumer.consume(TestData.spans(4))).as("10 of 10").isCompleted();
    assertThat(metric("otelcol_exporter_enqueue_failed_spans")).isEqualTo(5.0);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"zstd", "snappy"})
  void zstdAndSnappyReachTheServerIntact(String compression) throws Exception {
    OtlpExporterConfig c = fastRetries();
    c.compression = compression;
    ExportTraceServiceRequest spans = TestData.spans(5);
    start(c).consume(spans).get(5, TimeUnit.SECONDS);
    await().until(() -> server.calls.size() == 1);
    assertThat(server.calls.get(0).headers().get(
        Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo(compression);
    assertThat(server.calls.get(0).request()).isEqualTo(spans);
  }

  @Test
  void headersAndGzipReachTheServer() throws Exception {
    OtlpExporterConfig c = fastRetries();
    c.headers.put("x-tenant", "team-a");
    start(c).consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    await().until(() -> server.calls.size() == 1);
    Metadata h = server.calls.get(0).headers();
    assertThat(h.get(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("team-a");
    assertThat(h.get(Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("gzip");
  }

  @Test
  void partialSuccessCountsRejectedItems() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> ExportTraceServiceResponse.newBuilder().setPartialSuccess(
        ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("too old"))
        .build();
    start(fastRetries()).consume(TestData.spans(5)).get(5, TimeUnit.SECONDS);
    await().untilAsserted(() -> {
      assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(3.0);
      assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "rejected")).isEqualTo(2.0);
    });
    assertThat(server.calls).hasSize(1);
  }

  @Test
  void shutdownDrainsTheQueueWhenTheServerIsHealthy() throws Exception {
    Consumer<ExportTraceServiceRequest> c = start(fastRetries());
    for (int i = 0; i < 20; i++) {
      c.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    }
    exporter.shutdown(Instant.now().plusSeconds(5));
    exporter = null;
    assertThat(server.spansReceived()).isEqualTo(40);
    assertThat(metric("otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void shutdownDropsAndCountsWhatIsLeftAtTheDeadline() throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> Status.UNAVAILABLE.asRuntimeException();
    OtlpExporterConfig c = fastRetries();
    c.sendingQueue.numConsumers = 1;
    Consumer<ExportTraceServiceRequest> consumer = start(c);
    for (int i = 0; i < 5; i++) {
      consumer.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    }
    Instant begin = Instant.now();
    exporter.shutdown(begin.plusMillis(300));
    exporter = null;
    assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(4));
    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "shutdown")).isEqualTo(10.0);
    assertThat(consumer.consume(TestData.spans(1))).isCompletedExceptionally();
  }
}
