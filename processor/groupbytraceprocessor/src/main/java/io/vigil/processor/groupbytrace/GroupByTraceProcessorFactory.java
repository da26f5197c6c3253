package io.vigil.processor.groupbytrace;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import java.util.Set;

/** Type {@code groupbytrace}. */
public final class GroupByTraceProcessorFactory implements ProcessorFactory<GroupByTraceConfig> {

  @Override
  public String type() {
    return "groupbytrace";
  }

  @Override
  public GroupByTraceConfig createDefaultConfig() {
    return new GroupByTraceConfig();
  }

  @Override
  public void validate(GroupByTraceConfig c) {
    ConfigException.requirePositive(c.waitDuration, "wait_duration");
    if (c.numTraces <= 0) {
      throw new ConfigException("num_traces", "must be a positive number of traces, got " + c.numTraces);
    }
    if (c.numWorkers <= 0) {
      throw new ConfigException("num_workers", "must be at least 1, got " + c.numWorkers);
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Processor<T> create(ComponentSettings settings, GroupByTraceConfig c,
      Signal<T> signal, Consumer<T> next) {
    return (Processor<T>) new GroupByTraceProcessor(settings.id().toString(), c.waitDuration,
        c.numTraces, (Consumer<ExportTraceServiceRequest>) next,
        settings.logger(GroupByTraceProcessor.class));
  }
}
