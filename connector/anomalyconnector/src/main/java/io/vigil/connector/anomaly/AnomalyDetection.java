package io.vigil.connector.anomaly;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.component.Connector;
import java.nio.file.Path;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One {@code anomaly} connector's shared state: the engine, the refit thread and the model
 * watcher. Its metrics and logs outputs are fed the same batches by the pipeline's fan-out;
 * whichever sees a batch first scores it and the other takes the remembered result.
 */
final class AnomalyDetection {

  private static final int REMEMBERED = 32;

  private final String name;
  private final MetricAnomalyConfig config;
  private final Logger log;
  private final ExecutorService refitter;
  private final ModelWatcher watcher;
  private final MetricAnomalyEngine engine;
  private final Map<ExportMetricsServiceRequest, MetricAnomalyEngine.Output> recent =
      new IdentityHashMap<>();
  private final LinkedHashMap<ExportMetricsServiceRequest, Boolean> order = new LinkedHashMap<>();
  private ScheduledExecutorService reloader;
  private int started;
  private int outputs;

  AnomalyDetection(String name, MetricAnomalyConfig config, Logger log) {
    this.name = name;
    this.config = config;
    this.log = log;
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

  /** The result for a batch, computed once whichever output asks first. */
  synchronized MetricAnomalyEngine.Output resultFor(ExportMetricsServiceRequest batch) {
    MetricAnomalyEngine.Output out = recent.get(batch);
    if (out != null) {
      recent.remove(batch);
      order.remove(batch);
      return out;
    }
    out = engine.process(batch);
    if (outputs > 1) {
      recent.put(batch, out);
      order.put(batch, Boolean.TRUE);
      if (order.size() > REMEMBERED) {
        ExportMetricsServiceRequest eldest = order.keySet().iterator().next();
        order.remove(eldest);
        recent.remove(eldest);
      }
    }
    return out;
  }

  Connector<ExportMetricsServiceRequest> scoresTo(Consumer<ExportMetricsServiceRequest> next) {
    return output(batch -> {
      ExportMetricsServiceRequest scores = resultFor(batch).scores();
      return scores.getResourceMetricsCount() == 0
          ? CompletableFuture.completedFuture(null) : next.consume(scores);
    });
  }

  Connector<ExportMetricsServiceRequest> eventsTo(Consumer<ExportLogsServiceRequest> next) {
    return output(batch -> {
      ExportLogsServiceRequest events = resultFor(batch).events();
      return events.getResourceLogsCount() == 0
          ? CompletableFuture.completedFuture(null) : next.consume(events);
    });
  }

  private synchronized Connector<ExportMetricsServiceRequest> output(
      Consumer<ExportMetricsServiceRequest> body) {
    outputs++;
    return new Connector<>() {
      @Override
      public void start() {
        AnomalyDetection.this.start();
      }

      @Override
      public CompletableFuture<Void> consume(ExportMetricsServiceRequest batch) {
        return body.consume(batch);
      }

      @Override
      public void shutdown(Instant deadline) {
        AnomalyDetection.this.shutdown();
      }
    };
  }

  private synchronized void start() {
    if (started++ > 0 || watcher == null) {
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

  private synchronized void shutdown() {
    if (--started > 0) {
      return;
    }
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
