package io.vigil.processor.probabilisticsampler;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.probabilisticsampler.internal.LogDecision;
import io.vigil.processor.probabilisticsampler.internal.Sampler;
import io.vigil.processor.probabilisticsampler.internal.SpanDecision;
import java.util.Set;

/** Type {@code probabilistic_sampler}. */
public final class ProbabilisticSamplerProcessorFactory
    implements ProcessorFactory<ProbabilisticSamplerConfig> {

  @Override
  public String type() {
    return "probabilistic_sampler";
  }

  @Override
  public ProbabilisticSamplerConfig createDefaultConfig() {
    return new ProbabilisticSamplerConfig();
  }

  @Override
  public void validate(ProbabilisticSamplerConfig c) {
    if (Float.isNaN(c.samplingPercentage) || c.samplingPercentage < 0) {
      throw new ConfigException("sampling_percentage", "must be a number from 0 to 100 (above 100"
          + " keeps everything), got " + c.samplingPercentage);
    }
    if (c.hashSeed < 0 || c.hashSeed > 0xffffffffL) {
      throw new ConfigException("hash_seed", "must be a 32-bit unsigned integer, got " + c.hashSeed);
    }
    if (!Set.of("", "hash_seed", "proportional", "equalizing").contains(c.mode)) {
      throw new ConfigException("mode", "unsupported sampler mode \"" + c.mode
          + "\": hash_seed, proportional or equalizing");
    }
    if (c.samplingPrecision < 1 || c.samplingPrecision > 14) {
      throw new ConfigException("sampling_precision", "must be from 1 to 14 hex digits, got "
          + c.samplingPrecision);
    }
    if (!c.attributeSource.equals("traceID") && !c.attributeSource.equals("record")) {
      throw new ConfigException("attribute_source", "must be traceID or record, got \""
          + c.attributeSource + "\"");
    }
    if (c.attributeSource.equals("record") && c.fromAttribute.isEmpty()) {
      throw new ConfigException("from_attribute", "required when attribute_source is record");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES, Signal.LOGS);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Processor<T> create(ComponentSettings settings,
      ProbabilisticSamplerConfig c, Signal<T> signal, Consumer<T> next) {
    boolean logsByRecord = signal == Signal.LOGS && !c.attributeSource.equals("traceID");
    Sampler sampler = Sampler.of(c.mode, c.samplingPercentage, c.hashSeed, c.samplingPrecision,
        logsByRecord);
    if (signal == Signal.TRACES) {
      return (Processor<T>) new TracesSampling(new SpanDecision(sampler, c.failClosed),
          (Consumer<io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest>) next);
    }
    return (Processor<T>) new LogsSampling(new LogDecision(sampler, c.failClosed,
        c.attributeSource.equals("traceID"), c.fromAttribute, c.samplingPriority,
        c.samplingPrecision),
        (Consumer<io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest>) next);
  }
}
