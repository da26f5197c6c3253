package io.vigil.connector.anomaly;

import io.vigil.analysis.anomaly.IsolationForest;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.analysis.training.IsolationForestOnnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A model replaced (hot reload) or dropped (shutdown) while a batch is scoring with it on
 * another thread: its onnxruntime session must outlive that batch, and be closed after it.
 */
class ModelWatcherTest {

  private static final long T0 = 1_780_000_000_000_000_000L;
  private static final long MINUTE = 60_000_000_000L;

  @TempDir
  Path dir;

  private final ExecutorService pipeline = Executors.newSingleThreadExecutor();
  /** Opened by the test once the model was swapped under the batch held in scoring. */
  private final CountDownLatch swapped = new CountDownLatch(1);
  private final CountDownLatch inScoring = new CountDownLatch(1);
  private Path file;
  private ModelWatcher watcher;
  private MetricAnomalyEngine engine;

  @BeforeEach
  void loadAModelAndWarmUpASeries() throws Exception {
    file = dir.resolve("model.onnx");
    Files.write(file, forestModel("0.6"));
    watcher = new ModelWatcher(file, LoggerFactory.getLogger(ModelWatcherTest.class));
    watcher.check();
    assertThat(watcher.current()).isNotNull();
    engine = new MetricAnomalyEngine(new MetricAnomalyConfig(), Runnable::run, watcher);
    // Enough points that the next one gives the model a window to score.
    for (int i = 0; i < 12; i++) {
      engine.process(gauge(i));
    }
    assertThat(watcher.failures()).isZero();
  }

  @AfterEach
  void stop() {
    swapped.countDown();
    pipeline.shutdownNow();
    watcher.close();
  }

  private static byte[] forestModel(String threshold) {
    Random r = new Random(3);
    double[][] rows = new double[500][4];
    for (double[] row : rows) {
      for (int j = 0; j < row.length; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return IsolationForestOnnx.write(IsolationForest.fit(rows, 20, 128, 1),
        Map.of("vigil.threshold", threshold));
  }

  private static ExportMetricsServiceRequest gauge(int i) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("cpu").setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                .setTimeUnixNano(T0 + i * MINUTE).setAsDouble(50 + 10 * Math.sin(i / 3.0)))))))
        .build();
  }

  /** Runs the next batch on the pipeline's thread and holds it just before the model scores. */
  private Future<MetricAnomalyEngine.Output> batchHeldInScoring() throws Exception {
    engine.beforeModelScores = () -> {
      inScoring.countDown();
      try {
        if (!swapped.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never swapped the model");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
    Future<MetricAnomalyEngine.Output> batch = pipeline.submit(() -> engine.process(gauge(12)));
    assertThat(inScoring.await(10, TimeUnit.SECONDS)).as("batch reached scoring").isTrue();
    engine.beforeModelScores = () -> {};
    return batch;
  }

  @Test
  void aReloadClosesTheOldModelOnlyOnceTheBatchScoringWithItIsDone() throws Exception {
    OnnxModel first = watcher.current();
    Future<MetricAnomalyEngine.Output> batch = batchHeldInScoring();

    Files.write(file, forestModel("0.7"));
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    watcher.check();
    OnnxModel second = watcher.current();
    assertThat(second).isNotSameAs(first);
    assertThat(second.metadata()).containsEntry("vigil.threshold", "0.7");
    assertThat(first.isClosed()).as("old model closed under the batch scoring with it")
        .isFalse();

    swapped.countDown();
    assertThat(batch.get(10, TimeUnit.SECONDS).scores().getResourceMetricsCount()).isOne();
    assertThat(watcher.failures()).as("the held batch scored with the old model").isZero();
    assertThat(first.isClosed()).as("closed when its last batch was done").isTrue();

    // The next batch scores with the new model; a reload with no batch in flight closes it at
    // once.
    engine.process(gauge(13));
    assertThat(watcher.failures()).isZero();
    assertThat(second.isClosed()).isFalse();
    Files.write(file, forestModel("0.8"));
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
    watcher.check();
    assertThat(watcher.current()).isNotSameAs(second);
    assertThat(second.isClosed()).isTrue();
  }

  @Test
  void shutdownClosesTheModelOnlyOnceTheBatchScoringWithItIsDone() throws Exception {
    OnnxModel model = watcher.current();
    Future<MetricAnomalyEngine.Output> batch = batchHeldInScoring();

    watcher.close();
    assertThat(watcher.current()).isNull();
    assertThat(model.isClosed()).as("model closed under the batch scoring with it").isFalse();

    swapped.countDown();
    assertThat(batch.get(10, TimeUnit.SECONDS).scores().getResourceMetricsCount()).isOne();
    assertThat(watcher.failures()).as("the held batch scored with the model").isZero();
    assertThat(model.isClosed()).as("closed when its last batch was done").isTrue();
  }

  @Test
  void aClosedModelIsNotHandedOutAndClosingTwiceReleasesOnlyOnce() {
    OnnxModel model = watcher.current();
    assertThat(watcher.acquire()).isSameAs(model);
    model.close();
    model.close();
    assertThat(model.isClosed()).as("a batch still holds it").isFalse();
    model.release();
    assertThat(model.isClosed()).isTrue();
    assertThat(model.acquire()).isFalse();
  }
}
