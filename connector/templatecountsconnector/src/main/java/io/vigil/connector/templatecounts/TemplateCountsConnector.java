package io.vigil.connector.templatecounts;

import io.vigil.pdata.Attributes;

import io.vigil.pdata.AnomalyRecord;


import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.core.Consumer;
import io.vigil.core.component.Connector;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Counts records per resource and template ID, and at the end of every window emits one delta
 * point per template followed — 0 for a template that was quiet in the window, so a template
 * that stops is as visible as one that surges.
 */
final class TemplateCountsConnector implements Connector<ExportLogsServiceRequest> {

  private final String name;
  private final TemplateCountsConfig config;
  private final Consumer<ExportMetricsServiceRequest> next;
  private final Logger log;
  private final Map<Resource, Map<String, long[]>> counts = new LinkedHashMap<>();
  private ScheduledExecutorService timer;
  private long windowStart;
  private long windows;

  TemplateCountsConnector(String name, TemplateCountsConfig config,
      Consumer<ExportMetricsServiceRequest> next, Logger log) {
    this.name = name;
    this.config = config;
    this.next = next;
    this.log = log;
  }

  @Override
  public void start() {
    windowStart = System.currentTimeMillis() * 1_000_000L;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-templatecounts-" + name);
      t.setDaemon(true);
      return t;
    });
    long every = config.window.toNanos();
    timer.scheduleAtFixedRate(this::flush, every, every, TimeUnit.NANOSECONDS);
  }

  @Override
  public CompletableFuture<Void> consume(ExportLogsServiceRequest batch) {
    synchronized (counts) {
      for (ResourceLogs rl : batch.getResourceLogsList()) {
        Map<String, long[]> perTemplate = null;
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          for (LogRecord r : sl.getLogRecordsList()) {
            String id = templateId(r);
            if (id == null) {
              continue;
            }
            if (perTemplate == null) {
              perTemplate = counts.computeIfAbsent(rl.getResource(), x -> templates());
            }
            long[] c = perTemplate.computeIfAbsent(id, x -> new long[2]);
            c[0]++;
            c[1] = windows;
          }
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  private Map<String, long[]> templates() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
        return size() > config.maxTemplates;
      }
    };
  }

  private String templateId(LogRecord r) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals(config.idAttribute)) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  /** Emits the window that just ended. */
  void flush() {
    long end = System.currentTimeMillis() * 1_000_000L;
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    synchronized (counts) {
      for (Map.Entry<Resource, Map<String, long[]>> e : counts.entrySet()) {
        Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        e.getValue().entrySet().removeIf(t -> windows - t.getValue()[1] > config.idleWindows);
        for (Map.Entry<String, long[]> t : e.getValue().entrySet()) {
          sum.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(windowStart)
              .setTimeUnixNano(end).setAsInt(t.getValue()[0])
              .addAttributes(Attributes.string(config.idAttribute, t.getKey())));
          t.getValue()[0] = 0;
        }
        if (sum.getDataPointsCount() > 0) {
          out.addResourceMetrics(ResourceMetrics.newBuilder().setResource(e.getKey())
              .addScopeMetrics(ScopeMetrics.newBuilder()
                  .setScope(InstrumentationScope.newBuilder().setName(AnomalyRecord.LOG_SCOPE))
                  .addMetrics(Metric.newBuilder().setName(config.metric).setUnit("{record}")
                      .setDescription("Log records per template in the window")
                      .setSum(sum))));
        }
      }
      counts.values().removeIf(Map::isEmpty);
      windows++;
      windowStart = end;
    }
    if (out.getResourceMetricsCount() > 0) {
      next.consume(out.build()).whenComplete((ok, err) -> {
        if (err != null) {
          log.warn("templatecounts {}: the metrics pipeline refused a window of counts: {}",
              name, err.getMessage());
        }
      });
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    if (timer != null) {
      timer.shutdownNow();
    }
    flush();
  }
}
