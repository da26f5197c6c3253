package io.vigil.processor.filter;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.filter.internal.Conditions;
import io.vigil.processor.filter.internal.LogFilter;
import io.vigil.processor.filter.internal.MetricFilter;
import io.vigil.processor.filter.internal.RequestFilter;
import io.vigil.processor.filter.internal.SpanFilter;
import io.vigil.processor.ottl.ErrorHandler;
import io.vigil.processor.ottl.ErrorMode;
import io.vigil.processor.ottl.OttlContext;
import java.util.Set;
import org.slf4j.helpers.NOPLogger;

/** Type {@code filter}. */
public final class FilterProcessorFactory implements ProcessorFactory<FilterConfig> {

  @Override
  public String type() {
    return "filter";
  }

  @Override
  public FilterConfig createDefaultConfig() {
    return new FilterConfig();
  }

  @Override
  public void validate(FilterConfig c) {
    ErrorHandler none = new ErrorHandler(errorMode(c), NOPLogger.NOP_LOGGER);
    for (Signal<?> s : Signal.all()) {
      filter(c, s, none);
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, FilterConfig config, Signal<T> signal, Consumer<T> next) {
    ErrorHandler errors = new ErrorHandler(errorMode(config), settings.logger(FilterProcessorFactory.class));
    try {
      return new FilterProcessor<>(filter(config, signal, errors), signal::itemCount, next,
          FilterTelemetry.of(settings.telemetry().registry()).counter(signal, settings.id().toString()));
    } catch (ConfigException e) {
      throw e.under("processors::" + settings.id());
    }
  }

  static ErrorMode errorMode(FilterConfig c) {
    ErrorMode m = ErrorMode.parse(c.errorMode);
    if (m == null) {
      throw new ConfigException("error_mode", "must be ignore, silent or propagate, not \"" + c.errorMode + "\"");
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> RequestFilter<T> filter(FilterConfig c, Signal<T> signal, ErrorHandler errors) {
    if (signal == Signal.TRACES) {
      FilterConfig.Traces t = c.traces == null ? new FilterConfig.Traces() : c.traces;
      return (RequestFilter<T>) new SpanFilter(
          Conditions.compile(t.span, OttlContext.SPAN, "traces::span", errors),
          Conditions.compile(t.spanevent, OttlContext.SPANEVENT, "traces::spanevent", errors));
    }
    if (signal == Signal.METRICS) {
      FilterConfig.Metrics m = c.metrics == null ? new FilterConfig.Metrics() : c.metrics;
      return (RequestFilter<T>) new MetricFilter(
          Conditions.compile(m.metric, OttlContext.METRIC, "metrics::metric", errors),
          Conditions.compile(m.datapoint, OttlContext.DATAPOINT, "metrics::datapoint", errors));
    }
    FilterConfig.Logs l = c.logs == null ? new FilterConfig.Logs() : c.logs;
    return (RequestFilter<T>) new LogFilter(
        Conditions.compile(l.logRecord, OttlContext.LOG, "logs::log_record", errors));
  }
}
