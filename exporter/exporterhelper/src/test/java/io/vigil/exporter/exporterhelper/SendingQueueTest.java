package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sending_queue::sizer} and {@code block_on_overflow}, with one consumer held busy. */
class SendingQueueTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  /** Answers of the sends in progress; the test completes them. */
  private final List<CompletableFuture<SendResult>> pending = new CopyOnWriteArrayList<>();
  private QueuedRetryingSender<ExportTraceServiceRequest> sender;

  @AfterEach
  void stop() {
    pending.forEach(f -> f.complete(SendResult.accepted()));
    if (sender != null) {
      sender.shutdown(Instant.now().plusSeconds(1));
    }
  }

  private QueuedRetryingSender<ExportTraceServiceRequest> start(
      String sizer, int queueSize, boolean block) {
    SendingSettings s = new SendingSettings();
    s.timeout = Duration.ofSeconds(30);
    s.sendingQueue.numConsumers = 1;
    s.sendingQueue.sizer = sizer;
    s.sendingQueue.queueSize = queueSize;
    s.sendingQueue.blockOnOverflow = block;
    s.validateSending();
    sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry),
        Signal.TRACES, s, (batch, timeout) -> {
          CompletableFuture<SendResult> f = new CompletableFuture<>();
          pending.add(f);
          return f;
        });
    sender.start();
    return sender;
  }

  /** Sends one batch and waits until the only consumer is busy with it. */
  /** Returns the batch's protobuf size (the bytes sizer counts it while it is being sent). */
  private long occupyTheConsumer() throws Exception {
    ExportTraceServiceRequest batch = TestData.spans(1);
    sender.consume(batch).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == 1);
    return batch.getSerializedSize();
  }

  private double metric(String name) {
    return Metrics.value(telemetry, name);
  }

  @Test
  void requestsSizerCountsBatches() throws Exception {
    start("requests", 2, false);
    occupyTheConsumer();
    assertThat(sender.consume(TestData.spans(50))).isCompleted();
    assertThat(sender.consume(TestData.spans(50))).isCompleted();
    assertThat(sender.consume(TestData.spans(1))).failsWithin(Duration.ZERO).withThrowableThat()
        .satisfies(t -> assertThat(ConsumeException.from(t).isRetryable()).isTrue())
        .withMessageContaining("is full (2 batches)");
    // Two queued and the one the consumer holds: what an outage keeps counts in the figure.
    assertThat(metric("otelcol_exporter_queue_size")).isEqualTo(3.0);
    assertThat(metric("otelcol_exporter_enqueue_failed_spans")).isEqualTo(1.0);
  }

  @Test
  void itemsSizerCountsSpansAndTakesAnOversizedBatchIntoAnEmptyQueue() throws Exception {
    start("items", 10, false);
    occupyTheConsumer();
    assertThat(sender.consume(TestData.spans(25))).as("alone, though above 10").isCompleted();
    assertThat(sender.consume(TestData.spans(1))).failsWithin(Duration.ZERO).withThrowableThat()
        .withMessageContaining("holds 25 spans, its queue_size is 10 (sizer: items)");
    assertThat(metric("otelcol_exporter_queue_size")).as("25 queued + 1 being sent").isEqualTo(26.0);
    assertThat(metric("otelcol_exporter_queue_capacity")).isEqualTo(10.0);
  }

  @Test
  void bytesSizerCountsTheProtobufSize() throws Exception {
    ExportTraceServiceRequest batch = TestData.spans(3);
    int bytes = batch.getSerializedSize();
    start("bytes", 2 * bytes, false);
    long heldBytes = occupyTheConsumer();
    assertThat(sender.consume(batch)).isCompleted();
    assertThat(sender.consume(batch)).isCompleted();
    assertThat(sender.consume(batch)).failsWithin(Duration.ZERO).withThrowableThat()
        .withMessageContaining("holds " + 2 * bytes + " bytes, its queue_size is " + 2 * bytes
            + " (sizer: bytes)");
    assertThat(metric("otelcol_exporter_queue_size")).isEqualTo(2.0 * bytes + heldBytes);
  }

  @Test
  void blockOnOverflowLetsTheCallerWaitForRoomInsteadOfRefusing() throws Exception {
    start("requests", 1, true);
    occupyTheConsumer();
    assertThat(sender.consume(TestData.spans(2))).as("fills the queue").isCompleted();
    CompletableFuture<Void> waiting = sender.consume(TestData.spans(3));
    CompletableFuture<Void> behind = sender.consume(TestData.spans(4));
    assertThat(waiting).as("no room yet").isNotDone();
    assertThat(behind).isNotDone();

    pending.get(0).complete(SendResult.accepted());
    await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);
    assertThat(waiting).isCompleted();
    assertThat(behind).as("waits behind the first waiter").isNotDone();

    pending.get(1).complete(SendResult.accepted());
    await().atMost(Duration.ofSeconds(5)).until(behind::isDone);
    assertThat(behind).isCompleted();
    assertThat(metric("otelcol_exporter_enqueue_failed_spans")).isZero();
  }

  @Test
  void waitingCallersAreRefusedAtTheShutdownDeadline() throws Exception {
    start("requests", 1, true);
    occupyTheConsumer();
    sender.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> waiting = sender.consume(TestData.spans(3));

    sender.shutdown(Instant.now().plusMillis(100));

    assertThat(waiting).failsWithin(Duration.ZERO).withThrowableThat()
        .satisfies(t -> assertThat(ConsumeException.from(t).isRetryable()).isTrue())
        .withMessageContaining("shut down before its sending queue had room");
    assertThat(metric("otelcol_exporter_enqueue_failed_spans")).isEqualTo(3.0);
  }
}
