package io.vigil.connector.anomaly;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.component.Connector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One {@code anomaly} connector: the engine, the refit thread and the model watcher. Each batch
 * is scored once; its scores go to the metrics pipelines and its events to the logs pipelines,
 * whichever of the two the config wires.
 */
final class AnomalyDetection implements Connector<ExportMetricsServiceRequest> {

  private final String name;
  private final MetricAnomalyConfig config;
  private final ExecutorService refitter;
  private final ModelWatcher watcher;
  private final MetricAnomalyEngine engine;
  /** Null when no metrics pipeline takes this connector's scores. */
  private final Consumer<ExportMetricsServiceRequest> scores;
  /** Null when no logs pipeline takes this connector's events. */
  private final Consumer<ExportLogsServiceRequest> events;
  private ScheduledExecutorService reloader;

  AnomalyDetection(String name, MetricAnomalyConfig config, Logger log,
      Consumer<ExportMetricsServiceRequest> scores, Consumer<ExportLogsServiceRequest> events) {
    this.name = name;
    this.config = config;
    this.scores = scores;
    this.events = events;
    this.refitter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigil-anomaly-refit-" + name);
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    this.watcher = config.modelFile.isEmpty() ? null
        : new ModelWatcher(Path.of(config.modelFile), log);
    this.engine = new MetricAnomalyEngine(config,
        config.backgroundRefit ? refitter : Runnable::run, watcher);
  }

  /**
   * Scores the batch and emits to each wired output. As with a pipeline fan-out, an output that
   * throws does not keep the batch from the other one, and the result fails if either refuses.
   */
  @Override
  public CompletableFuture<Void> consume(ExportMetricsServiceRequest batch) {
    MetricAnomalyEngine.Output out;
    synchronized (this) {
      out = engine.process(batch);
    }
    CompletableFuture<Void> scored = scores == null || out.scores().getResourceMetricsCount() == 0
        ? null : emit(scores, out.scores());
    CompletableFuture<Void> raised = events == null || out.events().getResourceLogsCount() == 0
        ? null : emit(events, out.events());
    if (scored == null || raised == null) {
      // One output's own future, unwrapped, as when it was the only consumer of the batch.
      CompletableFuture<Void> only = scored == null ? raised : scored;
      return only == null ? CompletableFuture.completedFuture(null) : only;
    }
    return CompletableFuture.allOf(scored, raised);
  }

  private static <T> CompletableFuture<Void> emit(Consumer<T> next, T batch) {
    try {
      return next.consume(batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public synchronized void start() {
    if (watcher == null) {
      return;
    }
    watcher.check();
    reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-anomaly-model-" + name);
      t.setDaemon(true);
      return t;
    });
    long every = config.reloadInterval.toNanos();
    reloader.scheduleWithFixedDelay(watcher::check, every, every, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown(Instant deadline) {
    if (reloader != null) {
      reloader.shutdownNow();
    }
    refitter.shutdownNow();
    if (watcher != null) {
      watcher.close();
    }
  }

  ModelWatcher watcher() {
    return watcher;
  }

  MetricAnomalyEngine engine() {
    return engine;
  }
}
