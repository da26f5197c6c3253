package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sending_queue::batch} without storage (the in-memory queue): queued requests merged up
 * to min_size / max_size or the flush timeout, requests above max_size split, and
 * {@code wait_for_result} answering the caller when the delivery ended.
 */
class MemoryQueueBatchingTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private final List<ExportTraceServiceRequest> accepted = new CopyOnWriteArrayList<>();
  private volatile Function<ExportTraceServiceRequest, CompletableFuture<SendResult>> answer =
      this::accept;
  private QueuedRetryingSender<ExportTraceServiceRequest> sender;

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.shutdown(Instant.now().plusSeconds(2));
    }
  }

  private CompletableFuture<SendResult> accept(ExportTraceServiceRequest r) {
    accepted.add(r);
    return CompletableFuture.completedFuture(SendResult.accepted());
  }

  private static SendingSettings batching(int min, int max, Duration flush) {
    SendingSettings s = new SendingSettings();
    s.sendingQueue.numConsumers = 1;
    s.retryOnFailure.initialInterval = Duration.ofMillis(5);
    s.retryOnFailure.maxInterval = Duration.ofMillis(20);
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = min;
    s.sendingQueue.batch.maxSize = max;
    s.sendingQueue.batch.flushTimeout = flush;
    return s;
  }

  private QueuedRetryingSender<ExportTraceServiceRequest> start(SendingSettings s) {
    s.validateSending();
    sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry),
        Signal.TRACES, s, (batch, timeout) -> answer.apply(batch));
    sender.start();
    return sender;
  }

  private static List<Integer> counts(List<ExportTraceServiceRequest> requests) {
    return requests.stream().map(Signal.TRACES::itemCount).toList();
  }

  private static Set<ByteString> spanIds(List<ExportTraceServiceRequest> requests) {
    Set<ByteString> ids = new HashSet<>();
    List<ByteString> all = new ArrayList<>();
    requests.forEach(r -> r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
        ss -> ss.getSpansList().forEach(span -> all.add(span.getSpanId())))));
    ids.addAll(all);
    assertThat(all).as("no span twice").hasSameSizeAs(ids);
    return ids;
  }

  @Test
  void queuedRequestsAreMergedUntilMinSize() throws Exception {
    start(batching(10, 0, Duration.ofSeconds(30)));
    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ExportTraceServiceRequest r = TestData.spans(2);
      sent.add(r);
      sender.consume(r).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
    ExportTraceServiceRequest.Builder expected = ExportTraceServiceRequest.newBuilder();
    sent.forEach(r -> expected.addAllResourceSpans(r.getResourceSpansList()));
    assertThat(accepted.get(0)).isEqualTo(expected.build());
    assertThat(Metrics.value(telemetry, "otelcol_exporter_sent_spans")).isEqualTo(10.0);
  }

  @Test
  void fewerThanMinSizeGoAfterTheFlushTimeout() throws Exception {
    start(batching(1000, 0, Duration.ofMillis(150)));
    for (int i = 0; i < 3; i++) {
      sender.consume(TestData.spans(3)).get(5, TimeUnit.SECONDS);
    }
    // Nothing can go before the timeout: 9 spans are below min_size.
    assertThat(accepted).isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
    assertThat(counts(accepted)).containsExactly(9);
    assertThat(Metrics.value(telemetry, "otelcol_exporter_queue_size")).isZero();
  }

  @Test
  void shutdownSendsWhatIsGatheredWithoutWaitingForTheFlushTimeout() throws Exception {
    start(batching(1000, 0, Duration.ofMinutes(10)));
    sender.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    sender.consume(TestData.spans(3)).get(5, TimeUnit.SECONDS);
    assertThat(accepted).isEmpty();

    sender.shutdown(Instant.now().plusSeconds(10));
    sender = null;
    assertThat(counts(accepted)).containsExactly(5);
    assertThat(Metrics.value(telemetry, "otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void maxSizeClosesABatchBeforeTheNextRequestWouldPassIt() throws Exception {
    start(batching(10, 10, Duration.ofMillis(200)));
    for (int i = 0; i < 3; i++) {
      sender.consume(TestData.spans(4)).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 2);
    assertThat(counts(accepted)).as("4 + 4, then the third 4 after the timeout")
        .containsExactly(8, 4);
  }

  @Test
  void aQueuedRequestAboveMaxSizeIsSplitIntoRequestsOfAtMostMaxSize() throws Exception {
    start(batching(10, 10, Duration.ofSeconds(30)));
    ExportTraceServiceRequest big = TestData.spans(25);
    sender.consume(big).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 3);
    assertThat(counts(accepted)).containsExactly(10, 10, 5);
    assertThat(spanIds(accepted)).isEqualTo(spanIds(List.of(big)));
    assertThat(Metrics.value(telemetry, "otelcol_exporter_sent_spans")).isEqualTo(25.0);
  }

  @Test
  void aFailingPieceIsRetriedAloneNotThePiecesBeforeIt() throws Exception {
    int[] calls = {0};
    answer = r -> {
      synchronized (calls) {
        if (++calls[0] == 2) {
          return CompletableFuture.failedFuture(ExportFailure.retryable("503", (Duration) null));
        }
      }
      return accept(r);
    };
    start(batching(10, 10, Duration.ofSeconds(30)));
    ExportTraceServiceRequest big = TestData.spans(25);
    sender.consume(big).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 3);
    assertThat(counts(accepted)).containsExactly(10, 10, 5);
    assertThat(spanIds(accepted)).isEqualTo(spanIds(List.of(big)));
    assertThat(calls[0]).isEqualTo(4);
  }

  @Test
  void withoutWaitForResultTheCallerIsAnsweredWhenQueued() throws Exception {
    CompletableFuture<SendResult> backend = new CompletableFuture<>();
    answer = r -> backend;
    SendingSettings s = new SendingSettings();
    start(s);

    sender.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    backend.complete(SendResult.accepted());
  }

  @Test
  void waitForResultAnswersTheCallerOnlyOnceTheDestinationAccepted() throws Exception {
    CompletableFuture<SendResult> backend = new CompletableFuture<>();
    List<ExportTraceServiceRequest> attempted = new CopyOnWriteArrayList<>();
    answer = r -> {
      attempted.add(r);
      return backend;
    };
    SendingSettings s = new SendingSettings();
    s.sendingQueue.waitForResult = true;
    start(s);

    CompletableFuture<Void> result = sender.consume(TestData.spans(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> attempted.size() == 1);
    assertThat(result).as("sent, not yet answered").isNotDone();
    backend.complete(SendResult.accepted());
    result.get(5, TimeUnit.SECONDS);
  }

  @Test
  void waitForResultReportsAPermanentFailureToEveryCallerOfTheMergedBatch() throws Exception {
    answer = r -> CompletableFuture.failedFuture(ExportFailure.permanent("400 bad span"));
    SendingSettings s = batching(4, 0, Duration.ofSeconds(30));
    s.sendingQueue.waitForResult = true;
    start(s);

    CompletableFuture<Void> first = sender.consume(TestData.spans(2));
    CompletableFuture<Void> second = sender.consume(TestData.spans(2));
    for (CompletableFuture<Void> f : List.of(first, second)) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(e -> assertThat(ConsumeException.from(e).kind())
              .isEqualTo(ConsumeException.Kind.PERMANENT))
          .hasMessageContaining("400 bad span");
    }
  }
}
