package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * withdraw() gives back every batch a destination that keeps failing has not accepted, whether
 * it waits in the queue or is being retried: each span once, none counted as dropped; callers
 * of wait_for_result come along; afterwards the sender accepts nothing.
 */
class QueuedRetryingSenderWithdrawTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();

  private QueuedRetryingSender<ExportTraceServiceRequest> failingSender(boolean waitForResult,
      AtomicInteger attempts) {
    SendingSettings s = new SendingSettings();
    s.sendingQueue.numConsumers = 2;
    s.sendingQueue.waitForResult = waitForResult;
    s.retryOnFailure.initialInterval = Duration.ofMillis(20);
    s.retryOnFailure.maxInterval = Duration.ofMillis(50);
    QueuedRetryingSender<ExportTraceServiceRequest> sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp", "gone"), telemetry),
        Signal.TRACES, s, (batch, timeout) -> {
          attempts.incrementAndGet();
          return CompletableFuture.failedFuture(ConsumeException.retryable("unavailable"));
        });
    sender.start();
    return sender;
  }

  @Test
  void givesBackWhatIsQueuedAndWhatIsRetrying() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    QueuedRetryingSender<ExportTraceServiceRequest> sender = failingSender(false, attempts);
    Set<ByteString> sent = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      ExportTraceServiceRequest b = TestData.spans(1 + i % 3);
      spanIds(b, sent);
      sender.consume(b).get(5, TimeUnit.SECONDS);
    }
    // Two deliveries retrying, the rest queued behind them.
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 4);
    List<QueuedRetryingSender.Withdrawn<ExportTraceServiceRequest>> back = sender.withdraw();
    Set<ByteString> got = new HashSet<>();
    int spans = 0;
    for (var w : back) {
      spans += Signal.TRACES.itemCount(w.batch());
      spanIds(w.batch(), got);
      assertThat(w.callers()).isEmpty();
    }
    assertThat(got).isEqualTo(sent);
    assertThat(spans).as("each span once").isEqualTo(sent.size());
    int afterWithdraw = attempts.get();
    assertThat(sender.consume(TestData.spans(1))).failsWithin(Duration.ofSeconds(1));
    assertThat(io.vigil.testing.Metrics.value(telemetry, "otelcol_exporter_send_failed_spans",
        "exporter", "otlp/gone", "reason", "shutdown")).as("nothing counted as dropped")
        .isZero();
    sender.shutdown(java.time.Instant.now());
    assertThat(attempts.get()).as("no attempt after withdraw").isLessThanOrEqualTo(
        afterWithdraw + 2);
  }

  @Test
  void waitingCallersComeAlong() throws Exception {
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        failingSender(true, new AtomicInteger());
    CompletableFuture<Void> a = sender.consume(TestData.spans(2));
    CompletableFuture<Void> b = sender.consume(TestData.spans(3));
    var back = sender.withdraw();
    assertThat(back).hasSize(2);
    assertThat(a).isNotDone();
    back.forEach(w -> w.callers().forEach(c -> c.complete(null)));
    assertThat(a).succeedsWithin(Duration.ofSeconds(1));
    assertThat(b).succeedsWithin(Duration.ofSeconds(1));
    sender.shutdown(java.time.Instant.now());
  }

  private static void spanIds(ExportTraceServiceRequest r, Set<ByteString> into) {
    r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
        ss.getSpansList().forEach(s -> into.add(s.getSpanId()))));
  }
}
