package io.vigil.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * One of the three OTLP signals, typed by the export request message that carries it through
 * the pipeline. Batches are the OTLP request messages themselves: immutable, so a batch can be
 * handed to several consumers without copying; a processor that changes data builds a new one.
 *
 * @param <T> the OTLP export request type of this signal
 */
public final class Signal<T extends com.google.protobuf.Message> {

  public static final Signal<ExportTraceServiceRequest> TRACES =
      new Signal<>(
          "traces",
          "spans",
          ExportTraceServiceRequest.class,
          ExportTraceServiceRequest.parser(),
          ExportTraceServiceRequest.getDefaultInstance(),
          Signal::countSpans);

  public static final Signal<ExportMetricsServiceRequest> METRICS =
      new Signal<>(
          "metrics",
          "metric points",
          ExportMetricsServiceRequest.class,
          ExportMetricsServiceRequest.parser(),
          ExportMetricsServiceRequest.getDefaultInstance(),
          Signal::countDataPoints);

  public static final Signal<ExportLogsServiceRequest> LOGS =
      new Signal<>(
          "logs",
          "log records",
          ExportLogsServiceRequest.class,
          ExportLogsServiceRequest.parser(),
          ExportLogsServiceRequest.getDefaultInstance(),
          Signal::countLogRecords);

  private static final List<Signal<?>> ALL = List.of(TRACES, METRICS, LOGS);

  private final String name;
  private final String itemName;
  private final Class<T> type;
  private final Parser<T> parser;
  private final T empty;
  private final ToIntFunction<T> itemCounter;

  private Signal(
      String name,
      String itemName,
      Class<T> type,
      Parser<T> parser,
      T empty,
      ToIntFunction<T> itemCounter) {
    this.name = name;
    this.itemName = itemName;
    this.type = type;
    this.parser = parser;
    this.empty = empty;
    this.itemCounter = itemCounter;
  }

  public static List<Signal<?>> all() {
    return ALL;
  }

  /** The signal for a pipeline type name as written in config (`traces`, `metrics`, `logs`). */
  public static Signal<?> forName(String name) {
    for (Signal<?> s : ALL) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    return null;
  }

  public String name() {
    return name;
  }

  /** What one item of this signal is called in logs: spans, metric points, log records. */
  public String itemName() {
    return itemName;
  }

  public Class<T> type() {
    return type;
  }

  public T parse(byte[] bytes) throws InvalidProtocolBufferException {
    return parser.parseFrom(bytes);
  }

  public Parser<T> parser() {
    return parser;
  }

  public T empty() {
    return empty;
  }

  /**
   * Counts the items in a batch the way the collector does: spans, metric data points, log
   * records.
   */
  public int itemCount(T batch) {
    return itemCounter.applyAsInt(batch);
  }

  @Override
  public String toString() {
    return name;
  }

  private static int countSpans(ExportTraceServiceRequest r) {
    int n = 0;
    for (ResourceSpans rs : r.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  private static int countLogRecords(ExportLogsServiceRequest r) {
    int n = 0;
    for (ResourceLogs rl : r.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    return n;
  }

  private static int countDataPoints(ExportMetricsServiceRequest r) {
    int n = 0;
    for (ResourceMetrics rm : r.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += dataPoints(m);
        }
      }
    }
    return n;
  }

  /** Data points of one metric, whatever its type. */
  public static int dataPoints(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE:
        return m.getGauge().getDataPointsCount();
      case SUM:
        return m.getSum().getDataPointsCount();
      case HISTOGRAM:
        return m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM:
        return m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY:
        return m.getSummary().getDataPointsCount();
      default:
        return 0;
    }
  }
}
