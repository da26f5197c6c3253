package io.vigil.processor.ottl;

import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.common.v1.InstrumentationScopeOrBuilder;
import io.opentelemetry.proto.logs.v1.LogRecordOrBuilder;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.resource.v1.ResourceOrBuilder;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanOrBuilder;

/**
 * The record a condition or statement runs on, with the records that contain it. A processor
 * fills it once per record and reuses it, so evaluation allocates no context. A filter hands in
 * the immutable messages (read-only: an editor on them fails); a transform hands in builders,
 * which the editors change in place, and reads {@link #changed()} to know whether to rebuild.
 */
public final class RecordContext {
  private ResourceOrBuilder resource;
  private InstrumentationScopeOrBuilder scope;
  private SpanOrBuilder span;
  private Span.EventOrBuilder spanEvent;
  private MetricOrBuilder metric;
  private MessageOrBuilder dataPoint;
  private LogRecordOrBuilder log;
  private boolean changed;

  public RecordContext resource(ResourceOrBuilder r) {
    this.resource = r;
    return this;
  }

  public RecordContext scope(InstrumentationScopeOrBuilder s) {
    this.scope = s;
    return this;
  }

  public RecordContext span(SpanOrBuilder s) {
    this.span = s;
    return this;
  }

  public RecordContext spanEvent(Span.EventOrBuilder e) {
    this.spanEvent = e;
    return this;
  }

  public RecordContext metric(MetricOrBuilder m) {
    this.metric = m;
    return this;
  }

  /** A NumberDataPoint, HistogramDataPoint, ExponentialHistogramDataPoint or SummaryDataPoint. */
  public RecordContext dataPoint(MessageOrBuilder d) {
    this.dataPoint = d;
    return this;
  }

  public RecordContext log(LogRecordOrBuilder l) {
    this.log = l;
    return this;
  }

  public ResourceOrBuilder resource() {
    return require(resource, "resource");
  }

  public InstrumentationScopeOrBuilder scope() {
    return require(scope, "scope");
  }

  public SpanOrBuilder span() {
    return require(span, "span");
  }

  public Span.EventOrBuilder spanEvent() {
    return require(spanEvent, "span event");
  }

  public MetricOrBuilder metric() {
    return require(metric, "metric");
  }

  public MessageOrBuilder dataPoint() {
    return require(dataPoint, "data point");
  }

  public LogRecordOrBuilder log() {
    return require(log, "log record");
  }

  /** Whether an editor wrote to a record since the last {@link #resetChanged()}. */
  public boolean changed() {
    return changed;
  }

  public void resetChanged() {
    changed = false;
  }

  /** The builder behind {@code record}, for an editor about to write; marks the context changed. */
  public <B> B writable(Object record, Class<B> builderType) {
    if (!builderType.isInstance(record)) {
      throw new OttlEvaluationException("cannot change a read-only " + builderType.getEnclosingClass()
          .getSimpleName());
    }
    changed = true;
    return builderType.cast(record);
  }

  private static <T> T require(T v, String what) {
    if (v == null) {
      throw new OttlEvaluationException("no " + what + " in this context");
    }
    return v;
  }
}
