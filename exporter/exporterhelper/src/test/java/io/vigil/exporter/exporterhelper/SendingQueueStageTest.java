package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The bounded queue stage on its own: sizer, refusal, waiters. */
class SendingQueueStageTest {
  private SendingQueue<ExportTraceServiceRequest> queue(String sizer, int size, boolean block) {
    QueueSettings q = new QueueSettings();
    q.sizer = sizer;
    q.queueSize = size;
    q.blockOnOverflow = block;
    return new SendingQueue<>("otlp", Signal.TRACES, q);
  }

  @Test
  void refusesWhatDoesNotFitAndSaysWhy() {
    var q = queue("items", 5, false);
    assertThat(q.offer(TestData.spans(4))).isCompleted();
    assertThat(q.offer(TestData.spans(2))).isNull();
    assertThat(q.full().getMessage()).contains("holds 4 spans, its queue_size is 5");
    assertThat(q.size()).isEqualTo(4);
  }

  @Test
  void pollMakesRoomForTheOldestWaiterFirst() {
    var q = queue("requests", 1, true);
    var first = TestData.spans(1);
    var second = TestData.spans(2);
    var third = TestData.spans(3);
    assertThat(q.offer(first)).isCompleted();
    CompletableFuture<Void> w2 = q.offer(second);
    CompletableFuture<Void> w3 = q.offer(third);
    assertThat(w2).isNotDone();
    assertThat(q.isDrained()).isFalse();

    assertThat(q.poll()).isSameAs(first);
    assertThat(w2).isCompleted();
    assertThat(w3).isNotDone();
    assertThat(q.poll()).isSameAs(second);
    assertThat(w3).isCompleted();
    assertThat(q.poll()).isSameAs(third);
    assertThat(q.isDrained()).isTrue();
    assertThat(q.size()).isZero();
  }

  @Test
  void drainEmptiesQueueAndWaiters() {
    var q = queue("requests", 1, true);
    q.offer(TestData.spans(1));
    q.offer(TestData.spans(2));
    assertThat(q.drain()).hasSize(1);
    assertThat(q.drainWaiting()).hasSize(1);
    assertThat(q.isDrained()).isTrue();
    assertThat(q.size()).isZero();
  }
}
