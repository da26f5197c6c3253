package io.vigil.processor.transform;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.ottl.ErrorMode;
import io.vigil.processor.ottl.OttlContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/** Type {@code transform}. */
public final class TransformProcessorFactory implements ProcessorFactory<TransformConfig> {
  static final Set<OttlContext> TRACE_CONTEXTS =
      EnumSet.of(OttlContext.RESOURCE, OttlContext.SCOPE, OttlContext.SPAN, OttlContext.SPANEVENT);
  static final Set<OttlContext> METRIC_CONTEXTS =
      EnumSet.of(OttlContext.RESOURCE, OttlContext.SCOPE, OttlContext.METRIC, OttlContext.DATAPOINT);
  static final Set<OttlContext> LOG_CONTEXTS = EnumSet.of(OttlContext.RESOURCE, OttlContext.SCOPE, OttlContext.LOG);

  @Override
  public String type() {
    return "transform";
  }

  @Override
  public TransformConfig createDefaultConfig() {
    return new TransformConfig();
  }

  @Override
  public void validate(TransformConfig c) {
    for (Signal<?> s : Signal.all()) {
      groups(c, s);
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, TransformConfig config, Signal<T> signal, Consumer<T> next) {
    Logger log = settings.logger(TransformProcessorFactory.class);
    if (config.profileStatements != null && !config.profileStatements.isEmpty()) {
      log.warn("{}: profile_statements are ignored: Vigil carries no profiles", settings.id());
    }
    List<GroupRunner> runners;
    try {
      runners = groups(config, signal).stream().map(g -> new GroupRunner(g, log)).toList();
    } catch (ConfigException e) {
      throw e.under("processors::" + settings.id());
    }
    return new TransformProcessor<>(transformer(signal, runners), next);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> RequestTransformer<T> transformer(Signal<T> signal, List<GroupRunner> runners) {
    if (signal == Signal.TRACES) {
      return (RequestTransformer<T>) new RequestTransformer.Traces(runners);
    }
    if (signal == Signal.METRICS) {
      return (RequestTransformer<T>) new RequestTransformer.Metrics(runners);
    }
    return (RequestTransformer<T>) new RequestTransformer.Logs(runners);
  }

  private static List<StatementGroups.Group> groups(TransformConfig c, Signal<?> signal) {
    ErrorMode mode = ErrorMode.parse(c.errorMode);
    if (mode == null) {
      throw new ConfigException("error_mode", "must be ignore, silent or propagate, not \"" + c.errorMode + "\"");
    }
    if (signal == Signal.TRACES) {
      return StatementGroups.compile(c.traceStatements, "trace_statements", TRACE_CONTEXTS, mode);
    }
    if (signal == Signal.METRICS) {
      return StatementGroups.compile(c.metricStatements, "metric_statements", METRIC_CONTEXTS, mode);
    }
    return StatementGroups.compile(c.logStatements, "log_statements", LOG_CONTEXTS, mode);
  }
}
