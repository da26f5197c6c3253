package io.vigil.processor.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {

  private final List<Processor<?>> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(p -> p.shutdown(Instant.now().plusSeconds(1)));
  }

  private <T extends Message> Processor<T> batch(
      Signal<T> signal, int size, int max, Duration timeout, RecordingConsumer<T> next) {
    BatchConfig c = new BatchConfig();
    c.sendBatchSize = size;
    c.sendBatchMaxSize = max;
    c.timeout = timeout;
    new BatchProcessorFactory().validate(c);
    Processor<T> p = new BatchProcessorFactory().create(
        new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("batch"), new GatewayTelemetry()),
        c, signal, next);
    started.add(p);
    return p;
  }

  @Test
  void sendsWhenTheSizeIsReached() {
    RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
    var p = batch(Signal.TRACES, 10, 0, Duration.ofHours(1), next);
    CompletableFuture<Void> first = p.consume(TestData.spans(6));
    assertThat(next.batchCount()).isZero();
    assertThat(first).isNotDone();
    CompletableFuture<Void> second = p.consume(TestData.spans(4));
    assertThat(next.batchCount()).isEqualTo(1);
    assertThat(Signal.TRACES.itemCount(next.batches().get(0))).isEqualTo(10);
    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
  }

  @Test
  void sendsWhenTheTimeoutPasses() {
    RecordingConsumer<ExportLogsServiceRequest> next = new RecordingConsumer<>();
    var p = batch(Signal.LOGS, 1000, 0, Duration.ofMillis(50), next);
    CompletableFuture<Void> f = p.consume(TestData.logs(3));
    await().atMost(Duration.ofSeconds(5)).until(f::isDone);
    assertThat(next.batches()).hasSize(1);
    assertThat(Signal.LOGS.itemCount(next.batches().get(0))).isEqualTo(3);
  }

  @Test
  void downstreamRefusalFailsEveryContributingRequest() {
    RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
    next.refuseWith(ConsumeException.retryable("sending queue full"));
    var p = batch(Signal.TRACES, 5, 0, Duration.ofHours(1), next);
    CompletableFuture<Void> a = p.consume(TestData.spans(2));
    CompletableFuture<Void> b = p.consume(TestData.spans(3));
    for (CompletableFuture<Void> f : List.of(a, b)) {
      assertThat(f).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
          .satisfies(t -> assertThat(ConsumeException.from(t).kind())
              .isEqualTo(ConsumeException.Kind.RETRYABLE));
    }
  }

  @Test
  void shutdownFlushesWhatIsPending() {
    RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
    var p = batch(Signal.TRACES, 1000, 0, Duration.ofHours(1), next);
    CompletableFuture<Void> f = p.consume(TestData.spans(7));
    p.shutdown(Instant.now().plusSeconds(1));
    assertThat(f).isCompleted();
    assertThat(Signal.TRACES.itemCount(next.batches().get(0))).isEqualTo(7);
    assertThat(p.consume(TestData.spans(1))).isCompletedExceptionally();
  }

  /** Random request shapes, random limits: items in == items out, each exactly once. */
  @Test
  void splitAndMergeAreItemExactForAllSignals() {
    Random r = new Random(42);
    for (int round = 0; round < 60; round++) {
      int size = 1 + r.nextInt(20);
      int max = r.nextBoolean() ? 0 : size + r.nextInt(10);
      RecordingConsumer<ExportTraceServiceRequest> spans = new RecordingConsumer<>();
      RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
      RecordingConsumer<ExportMetricsServiceRequest> metrics = new RecordingConsumer<>();
      var ps = batch(Signal.TRACES, size, max, Duration.ofHours(1), spans);
      var pl = batch(Signal.LOGS, size, max, Duration.ofHours(1), logs);
      var pm = batch(Signal.METRICS, size, max, Duration.ofHours(1), metrics);
      Set<ByteString> sentSpanIds = new HashSet<>();
      int sentLogs = 0;
      int sentPoints = 0;
      for (int i = 0; i < 1 + r.nextInt(8); i++) {
        ExportTraceServiceRequest s = shape(r);
        s.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
            ss -> ss.getSpansList().forEach(x -> sentSpanIds.add(x.getSpanId()))));
        ps.consume(s);
        ExportLogsServiceRequest l = TestData.logs(r.nextInt(30));
        sentLogs += l.getResourceLogs(0).getScopeLogs(0).getLogRecordsCount();
        pl.consume(l);
        ExportMetricsServiceRequest m = TestData.gaugePoints(1 + r.nextInt(30));
        sentPoints += Signal.METRICS.itemCount(m);
        pm.consume(m);
      }
      ps.shutdown(Instant.now().plusSeconds(1));
      pl.shutdown(Instant.now().plusSeconds(1));
      pm.shutdown(Instant.now().plusSeconds(1));

      List<ByteString> gotIds = new ArrayList<>();
      for (ExportTraceServiceRequest b : spans.batches()) {
        if (max > 0) {
          assertThat(Signal.TRACES.itemCount(b)).as("round %d", round).isLessThanOrEqualTo(max);
        }
        b.getResourceSpansList().forEach(rs -> {
          assertThat(rs.getResource()).isEqualTo(TestData.resource("test-service"));
          rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(x -> gotIds.add(x.getSpanId())));
        });
      }
      assertThat(gotIds).as("round %d", round).doesNotHaveDuplicates();
      assertThat(new HashSet<>(gotIds)).isEqualTo(sentSpanIds);
      assertThat(logs.batches().stream().mapToInt(Signal.LOGS::itemCount).sum()).isEqualTo(sentLogs);
      assertThat(metrics.batches().stream().mapToInt(Signal.METRICS::itemCount).sum())
          .isEqualTo(sentPoints);
      for (ExportMetricsServiceRequest b : metrics.batches()) {
        for (var rm : b.getResourceMetricsList()) {
          for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
            assertThat(m.getName()).isEqualTo("system.cpu.utilization");
            assertThat(m.getUnit()).isEqualTo("1");
          }
        }
      }
      started.clear();
    }
  }

  private static ExportTraceServiceRequest shape(Random r) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (int i = 0; i < 1 + r.nextInt(3); i++) {
      b.addAllResourceSpans(TestData.spans(r.nextInt(15)).getResourceSpansList());
    }
    return b.build();
  }

  @Test
  void concurrentProducersLoseNothing() throws Exception {
    RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
    var p = batch(Signal.TRACES, 50, 64, Duration.ofMillis(20), next);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 200; i++) {
          p.consume(TestData.spans(3)).get(5, TimeUnit.SECONDS);
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(next.batches().stream().mapToInt(Signal.TRACES::itemCount).sum()).isEqualTo(2400);
    assertThat(next.batches()).allSatisfy(b -> assertThat(Signal.TRACES.itemCount(b)).isLessThanOrEqualTo(64));
  }
}
