package io.vigil.processor.attributes.internal;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.processor.attributes.MatchConfig;

/**
 * Which items the actions apply to: those {@code include} matches (all, without one), minus
 * those {@code exclude} matches. Include is checked first, as in the Collector.
 */
public final class ItemSelector {
  private final MatchProperties include;
  private final MatchProperties exclude;

  private ItemSelector(MatchProperties include, MatchProperties exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /**
   * Compiles include and exclude for {@code signal}; errors name the key under {@code path}
   * (the processor's own key path).
   */
  public static ItemSelector compile(MatchConfig include, MatchConfig exclude, Signal<?> signal,
      String path) {
    return new ItemSelector(
        include == null ? null : MatchProperties.compile(include, signal, path + "::include"),
        exclude == null ? null : MatchProperties.compile(exclude, signal, path + "::exclude"));
  }

  public boolean selectsSpan(Resource r, InstrumentationScope scope, Span span) {
    return (include == null || include.matchesSpan(r, scope, span))
        && (exclude == null || !exclude.matchesSpan(r, scope, span));
  }

  public boolean selectsLog(Resource r, InstrumentationScope scope, LogRecord log) {
    return (include == null || include.matchesLog(r, scope, log))
        && (exclude == null || !exclude.matchesLog(r, scope, log));
  }

  public boolean selectsMetric(Resource r, Metric metric) {
    return (include == null || include.matchesMetric(r, metric))
        && (exclude == null || !exclude.matchesMetric(r, metric));
  }
}
