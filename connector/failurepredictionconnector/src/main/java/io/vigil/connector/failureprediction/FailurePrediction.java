package io.vigil.connector.failureprediction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.component.Connector;
import io.vigil.featurerows.FeatureRow;
import io.vigil.featurerows.FeatureRowBuilder;
import io.vigil.featurerows.ModelRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One {@code failureprediction} connector: metric batches go into a {@link FeatureRowBuilder}
 * (the exporter's code, so rows are built as they were for training); a timer closes the
 * windows {@code delay} past their end, scores their rows in one onnxruntime call with the
 * registry's current model, and emits a record for each row at or above the threshold.
 */
final class FailurePrediction implements Connector<ExportMetricsServiceRequest> {

  private final String name;
  private final FailurePredictionConfig config;
  private final Logger log;
  private final FeatureRowBuilder builder;
  private final RegistryWatcher watcher;
  private final Consumer<ExportLogsServiceRequest> out;
  private final LongSupplier clock;
  private final AtomicLong rowsScored = new AtomicLong();
  private final AtomicLong predictions = new AtomicLong();
  private ScheduledExecutorService timer;

  FailurePrediction(String name, FailurePredictionConfig config, Logger log,
      Consumer<ExportLogsServiceRequest> out, LongSupplier clockNanos) {
    this.name = name;
    this.config = config;
    this.log = log;
    this.out = out;
    this.clock = clockNanos;
    this.builder = new FeatureRowBuilder(config);
    this.watcher = new RegistryWatcher(new ModelRegistry(java.nio.file.Path.of(config.registry)),
        config.model, builder.names(), config.window.toNanos() / 1e9, config.threshold, log);
  }

  @Override
  public CompletableFuture<Void> consume(ExportMetricsServiceRequest batch) {
    builder.add(batch);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized void start() {
    watcher.check();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-failureprediction-" + name);
      t.setDaemon(true);
      return t;
    });
    long reload = config.reloadInterval.toNanos();
    timer.scheduleWithFixedDelay(watcher::check, reload, reload, TimeUnit.NANOSECONDS);
    long flush = config.flushInterval.toNanos();
    timer.scheduleWithFixedDelay(() -> {
      try {
        tick(clock.getAsLong());
      } catch (RuntimeException e) {
        log.error("failureprediction: scoring failed", e); // the timer must keep running
      }
    }, flush, flush, TimeUnit.NANOSECONDS);
  }

  /**
   * Scores the windows closed by {@code nowNanos}; the future is the logs pipeline's answer
   * (completed at once when nothing was predicted).
   */
  CompletableFuture<Void> tick(long nowNanos) {
    List<FeatureRow> rows = builder.closeUntil(nowNanos);
    return score(rows, nowNanos);
  }

  private CompletableFuture<Void> score(List<FeatureRow> rows, long nowNanos) {
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    PredictorModel m = watcher.acquire();
    if (m == null) {
      return CompletableFuture.completedFuture(null);
    }
    List<PredictionRecords.Prediction> raised = new ArrayList<>();
    try {
      float[][] x = new float[rows.size()][m.columns().length];
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < m.columns().length; j++) {
          x[i][j] = (float) rows.get(i).value(m.columns()[j]);
        }
      }
      float[] p = m.onnx().score(x);
      rowsScored.addAndGet(rows.size());
      for (int i = 0; i < p.length; i++) {
        if (p[i] >= m.threshold()) {
          raised.add(new PredictionRecords.Prediction(rows.get(i), p[i]));
        }
      }
    } catch (RuntimeException e) {
      log.error("failureprediction: model {} failed to score {} rows: {}", m.version(),
          rows.size(), e.getMessage());
      return CompletableFuture.completedFuture(null);
    } finally {
      m.onnx().release();
    }
    if (raised.isEmpty() || out == null) {
      return CompletableFuture.completedFuture(null);
    }
    predictions.addAndGet(raised.size());
    try {
      return out.consume(PredictionRecords.of(raised, m, config.serviceAttribute, nowNanos));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public synchronized void shutdown(Instant deadline) {
    if (timer != null) {
      timer.shutdownNow();
    }
    // The rows still open are incomplete windows: scoring them would feed the model values it
    // never saw in training (a rate over part of a window), so they are dropped.
    watcher.close();
  }

  RegistryWatcher watcher() {
    return watcher;
  }

  FeatureRowBuilder builder() {
    return builder;
  }

  long rowsScored() {
    return rowsScored.get();
  }
}
