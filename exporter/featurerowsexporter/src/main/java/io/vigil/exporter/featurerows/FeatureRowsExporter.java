package io.vigil.exporter.featurerows;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.featurerows.FeatureRowBuilder;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Feeds metric batches to a {@link FeatureRowBuilder}; a timer closes the windows that are
 * {@code delay} past their end and writes each finished period to Parquet. A batch is accepted
 * once its points are counted in memory: writing happens on the timer's thread, never on the
 * pipeline's.
 */
final class FeatureRowsExporter implements Exporter {

  private final FeatureRowsExporterConfig config;
  private final Logger log;
  private final FeatureRowBuilder builder;
  private final RollingFeatureFiles files;
  private final LongSupplier clock;
  private ScheduledExecutorService timer;
  private long lateReported;

  FeatureRowsExporter(ComponentSettings settings, FeatureRowsExporterConfig config,
      LongSupplier clockNanos) {
    this.config = config;
    this.log = settings.logger(FeatureRowsExporter.class);
    this.builder = new FeatureRowBuilder(config);
    this.files = new RollingFeatureFiles(config, builder.names(), log);
    this.clock = clockNanos;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    if (signal != Signal.METRICS) {
      throw new IllegalArgumentException("featurerows takes metrics, not " + signal.name());
    }
    return (Consumer<T>) (Consumer<ExportMetricsServiceRequest>) batch -> {
      builder.add(batch);
      return CompletableFuture.completedFuture(null);
    };
  }

  @Override
  public synchronized void start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-featurerows");
      t.setDaemon(true);
      return t;
    });
    long every = config.flushInterval.toNanos();
    timer.scheduleWithFixedDelay(this::flushSafely, every, every, TimeUnit.NANOSECONDS);
  }

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      // The scheduler would cancel every later run: log and carry on.
      log.error("featurerows: flush failed", e);
    }
  }

  /** Closes the windows due by now and writes the periods that are over. */
  synchronized void flush() {
    long now = clock.getAsLong();
    files.add(builder.closeUntil(now));
    files.writeFinished(builder.closedBefore(), now);
    long late = builder.latePoints();
    if (late > lateReported) {
      log.warn("featurerows: {} points arrived after their window was closed and were left out"
          + " (raise delay, now {})", late - lateReported, config.delay);
      lateReported = late;
    }
  }

  @Override
  public synchronized void shutdown(Instant deadline) {
    if (timer != null) {
      timer.shutdownNow();
    }
    // What is held is written now, finished or not: a restart must not lose an hour of rows.
    files.add(builder.closeAll());
    files.writeAll(clock.getAsLong());
  }

  RollingFeatureFiles files() {
    return files;
  }

  FeatureRowBuilder builder() {
    return builder;
  }
}
