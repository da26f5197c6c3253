package io.vigil.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Wrappers around the SDK's real OTLP exporters that also keep what the SDK handed them, so a
 * test can compare what reached the far end with exactly what the SDK sent.
 */
public final class SdkRecorders {

  private SdkRecorders() {}

  /** Records spans before the real exporter sends them. */
  public static final class RecordingSpanExporter implements SpanExporter {
    private final SpanExporter delegate;
    public final List<SpanData> sent = new ArrayList<>();

    public RecordingSpanExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      sent.addAll(spans);
      return delegate.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  /** Records metrics before the real exporter sends them. */
  public static final class RecordingMetricExporter implements MetricExporter {
    private final MetricExporter delegate;
    public final List<MetricData> sent = new ArrayList<>();

    public RecordingMetricExporter(MetricExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<MetricData> metrics) {
      sent.addAll(metrics);
      return delegate.export(metrics);
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return delegate.getAggregationTemporality(type);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  /** Records log records before the real exporter sends them. */
  public static final class RecordingLogExporter implements LogRecordExporter {
    private final LogRecordExporter delegate;
    public final List<LogRecordData> sent = new ArrayList<>();

    public RecordingLogExporter(LogRecordExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<LogRecordData> logs) {
      sent.addAll(logs);
      return delegate.export(logs);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
