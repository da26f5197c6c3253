package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * A sender that throws an Error instead of failing its future: the delivery still ends (the
 * caller is answered, the slot freed, the items counted), and later batches still flow.
 */
class QueuedRetryingSenderTest {

  /** The batch the sender cannot handle: the only one with three spans. */
  private static final int BAD = 3;

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final ch.qos.logback.classic.Logger root =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vigil");
  /** Thread name of every send, in order. */
  private final List<String> sendThreads = new CopyOnWriteArrayList<>();
  private final AtomicInteger badSends = new AtomicInteger();
  private QueuedRetryingSender<ExportTraceServiceRequest> sender;

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.shutdown(Instant.now().plusSeconds(1));
    }
    root.detachAppender(logs);
  }

  static Stream<Arguments> nonFatalErrors() {
    return Stream.of(
        Arguments.of("AssertionError", (Supplier<Error>) () -> new AssertionError("bad payload")),
        Arguments.of("NoClassDefFoundError",
            (Supplier<Error>) () -> new NoClassDefFoundError("io/vigil/Missing")),
        Arguments.of("StackOverflowError", (Supplier<Error>) StackOverflowError::new));
  }

  private static SendingSettings settings(boolean queued) {
    SendingSettings s = new SendingSettings();
    s.sendingQueue.enabled = queued;
    s.sendingQueue.numConsumers = 1;
    s.retryOnFailure.initialInterval = Duration.ofMillis(10);
    s.retryOnFailure.maxInterval = Duration.ofMillis(50);
    return s;
  }

  /** Accepts every batch except the bad one, on which {@code bad} decides what happens. */
  private QueuedRetryingSender<ExportTraceServiceRequest> start(
      SendingSettings s, Function<Error, CompletableFuture<SendResult>> bad,
      Supplier<Error> error) {
    sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry),
        Signal.TRACES, s, (batch, timeout) -> {
          sendThreads.add(Thread.currentThread().getName());
          if (Signal.TRACES.itemCount(batch) == BAD) {
            badSends.incrementAndGet();
            return bad.apply(error.get());
          }
          return CompletableFuture.completedFuture(SendResult.accepted());
        });
    sender.start();
    return sender;
  }

  private static CompletableFuture<SendResult> thrown(Error e) {
    throw e;
  }

  private double metric(String name, String... labels) {
    return Metrics.value(telemetry, name, labels);
  }

  private List<ILoggingEvent> errorLogs() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonFatalErrors")
  void queuedBatchWhoseSendThrowsAnErrorIsDroppedAndTheNextOnesStillFlow(
      String name, Supplier<Error> error) throws Exception {
    var s = start(settings(true), QueuedRetryingSenderTest::thrown, error);

    s.consume(TestData.spans(BAD)).get(5, TimeUnit.SECONDS);
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    s.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);

    // One consumer: the batches behind the failed one flow only if its slot was freed.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(3.0));
    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "sender_error"))
        .isEqualTo(BAD);
    assertThat(metric("otelcol_exporter_send_failed_spans")).isEqualTo(BAD);
    assertThat(badSends).as("an Error is not retried").hasValue(1);
    assertThat(sendThreads).as("the consumer thread survived the Error")
        .hasSize(3).containsOnly(sendThreads.get(0));
    assertThat(errorLogs()).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).contains("dropped 3 spans (sender_error)")
          .contains(name);
      assertThat(e.getThrowableProxy()).isNotNull();
      assertThat(e.getThrowableProxy().getClassName()).endsWith(name);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonFatalErrors")
  void synchronousCallerIsAnsweredWhenTheSendThrowsAnError(String name, Supplier<Error> error)
      throws Exception {
    var s = start(settings(false), QueuedRetryingSenderTest::thrown, error);

    CompletableFuture<Void> bad = s.consume(TestData.spans(BAD));
    assertThat(bad).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
        .isInstanceOf(ExecutionException.class)
        .satisfies(t -> assertThat(ConsumeException.from(t).kind())
            .isEqualTo(ConsumeException.Kind.PERMANENT))
        .withMessageContaining(name);
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

    assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(1.0);
    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "sender_error"))
        .isEqualTo(BAD);
    assertThat(badSends).hasValue(1);
  }

  @Test
  void errorInTheSendersFutureIsDroppedNotRetried() throws Exception {
    var s = start(settings(false), CompletableFuture::failedFuture,
        () -> new AssertionError("async bad payload"));

    assertThat(s.consume(TestData.spans(BAD))).failsWithin(Duration.ofSeconds(5))
        .withThrowableThat().isInstanceOf(ExecutionException.class)
        .satisfies(t -> assertThat(ConsumeException.from(t).kind())
            .isEqualTo(ConsumeException.Kind.PERMANENT));
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

    assertThat(badSends).hasValue(1);
    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "sender_error"))
        .isEqualTo(BAD);
    await().atMost(Duration.ofSeconds(5)).until(() -> errorLogs().size() == 1);
  }

  @Test
  void senderReturningNoFutureFailsTheAttemptInsteadOfHangingIt() throws Exception {
    SendingSettings settings = settings(false);
    settings.retryOnFailure.enabled = false;
    var s = start(settings, e -> null, () -> new AssertionError("unused"));

    assertThat(s.consume(TestData.spans(BAD))).failsWithin(Duration.ofSeconds(5))
        .withThrowableThat().isInstanceOf(ExecutionException.class)
        .withMessageContaining("sender returned no future");
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "retries_exhausted"))
        .isEqualTo(BAD);
  }

  @Test
  void senderCompletingWithANullResultFailsTheAttemptInsteadOfHangingIt() throws Exception {
    SendingSettings settings = settings(false);
    settings.retryOnFailure.enabled = false;
    var s = start(settings, e -> CompletableFuture.completedFuture(null),
        () -> new AssertionError("unused"));

    assertThat(s.consume(TestData.spans(BAD))).failsWithin(Duration.ofSeconds(5))
        .withThrowableThat().isInstanceOf(ExecutionException.class)
        .withMessageContaining("sender completed with no result");
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "retries_exhausted"))
        .isEqualTo(BAD);
    assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(1.0);
  }

  @Test
  void queuedBatchWhoseSenderCompletesWithNullIsRetriedThenFreesItsSlot() throws Exception {
    SendingSettings settings = settings(true);
    settings.retryOnFailure.maxElapsedTime = Duration.ofMillis(200);
    var s = start(settings, e -> CompletableFuture.completedFuture(null),
        () -> new AssertionError("unused"));

    s.consume(TestData.spans(BAD)).get(5, TimeUnit.SECONDS);
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

    // One consumer: the batch behind it flows only once the null-result delivery has ended.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(1.0));
    assertThat(badSends.get()).as("retried as a failed attempt").isGreaterThan(1);
    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "retries_exhausted"))
        .isEqualTo(BAD);
  }

  @Test
  void aSenderErrorOnEveryBatchLogsOneStackTraceThenCounts() throws Exception {
    var s = start(settings(true), QueuedRetryingSenderTest::thrown,
        () -> new AssertionError("always bad"));

    for (int i = 0; i < 5; i++) {
      s.consume(TestData.spans(BAD)).get(5, TimeUnit.SECONDS);
    }
    s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(1.0));
    assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "sender_error"))
        .isEqualTo(5.0 * BAD);
    assertThat(errorLogs()).singleElement().satisfies(e -> {
      assertThat(e.getThrowableProxy()).isNotNull();
      assertThat(e.getFormattedMessage()).contains("counted in otelcol_exporter_send_failed_spans"
          + "{reason=\"sender_error\"}");
    });
    assertThat(logs.list).filteredOn(e -> e.getThrowableProxy() != null).hasSize(1);
  }

  @Test
  void fatalVmErrorReleasesTheDeliveryThenPropagatesToTheThread() throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      var s = start(settings(false), QueuedRetryingSenderTest::thrown,
          () -> new OutOfMemoryError("test heap"));

      assertThat(s.consume(TestData.spans(BAD))).failsWithin(Duration.ofSeconds(5))
          .withThrowableThat().isInstanceOf(ExecutionException.class)
          .satisfies(t -> assertThat(ConsumeException.from(t).kind())
              .isEqualTo(ConsumeException.Kind.PERMANENT));
      s.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);

      assertThat(metric("otelcol_exporter_send_failed_spans", "reason", "sender_error"))
          .isEqualTo(BAD);
      assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(1.0);
      await().atMost(Duration.ofSeconds(5)).until(() -> !uncaught.isEmpty());
      assertThat(uncaught).singleElement().isInstanceOf(OutOfMemoryError.class);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }
}
