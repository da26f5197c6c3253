package io.vigil.exporter.vigilstore;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.lucene.document.Document;

/**
 * The embedded store: writes OTLP batches into {@link HourlyIndexes}, answers {@link
 * TelemetryQuery}, and applies retention. Items already older than the retention are not
 * written (they would be deleted at the next check anyway).
 */
public final class TelemetryStore implements AutoCloseable {

  private final HourlyIndexes indexes;
  private final LuceneTelemetryQuery query;
  private final Clock clock;
  private final Duration retention;
  private final long maxDiskBytes;

  public TelemetryStore(Path directory, Duration retention, long maxDiskBytes, Clock clock)
      throws IOException {
    this.indexes = new HourlyIndexes(directory);
    this.query = new LuceneTelemetryQuery(indexes);
    this.clock = clock;
    this.retention = retention;
    this.maxDiskBytes = maxDiskBytes;
  }

  public TelemetryQuery query() {
    return query;
  }

  /** Stores the batch's spans; returns how many were too old to keep. */
  public long addSpans(ExportTraceServiceRequest request) throws IOException {
    return add(OtlpRecords.spans(request), StoredSpan::startNanos, LuceneDocuments::span);
  }

  public long addLogs(ExportLogsServiceRequest request) throws IOException {
    return add(OtlpRecords.logs(request), StoredLog::timeNanos, LuceneDocuments::log);
  }

  public long addMetrics(ExportMetricsServiceRequest request) throws IOException {
    return add(OtlpRecords.metricPoints(request), StoredMetricPoint::timeNanos,
        LuceneDocuments::metric);
  }

  private <R> long add(List<R> records, ToLongFunction<R> time, Function<R, Document> document)
      throws IOException {
    Map<Long, List<Document>> byHour = new HashMap<>();
    long expired = 0;
    for (R r : records) {
      long t = time.applyAsLong(r);
      if (HourlyIndexes.expired(t, clock.instant(), retention)) {
        expired++;
        continue;
      }
      byHour.computeIfAbsent(HourlyIndexes.hourOf(t), h -> new java.util.ArrayList<>())
          .add(document.apply(r));
    }
    indexes.add(byHour);
    return expired;
  }

  /**
   * Points of one metric (of one service when not empty), oldest first, as stored; the
   * console's charts use {@link TelemetryQuery#metricChart}, which aggregates per bucket.
   */
  public List<StoredMetricPoint> metricPoints(String name, String service, TimeRange range,
      int limit) {
    return query.metricPoints(name, service, range, limit);
  }

  public void commit() throws IOException {
    indexes.commit();
  }

  /** Deletes the hours retention and the disk budget no longer allow; returns their names. */
  public List<String> enforceRetention() throws IOException {
    return indexes.enforceRetention(clock.instant(), retention, maxDiskBytes);
  }

  /** Directory names of the hours held, oldest first. */
  public List<String> hours() {
    return indexes.hourNames();
  }

  public long diskBytes() throws IOException {
    return indexes.diskBytes();
  }

  @Override
  public void close() throws IOException {
    indexes.close();
  }
}
