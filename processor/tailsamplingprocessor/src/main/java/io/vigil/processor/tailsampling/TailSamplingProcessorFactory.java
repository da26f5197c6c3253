package io.vigil.processor.tailsampling;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.tailsampling.policy.Policies;
import io.vigil.processor.tailsampling.policy.SamplingClock;
import java.util.Set;

/** Type {@code tail_sampling}: keeps or drops whole traces by policies, after decision_wait. */
public final class TailSamplingProcessorFactory implements ProcessorFactory<TailSamplingConfig> {

  @Override
  public String type() {
    return "tail_sampling";
  }

  @Override
  public TailSamplingConfig createDefaultConfig() {
    return new TailSamplingConfig();
  }

  @Override
  public void validate(TailSamplingConfig c) {
    ConfigException.requirePositive(c.decisionWait, "decision_wait");
    if (c.numTraces <= 0) {
      throw new ConfigException("num_traces", "must be a positive number of traces, got "
          + c.numTraces);
    }
    if (c.expectedNewTracesPerSec < 0) {
      throw new ConfigException("expected_new_traces_per_sec", "must not be negative");
    }
    if (c.decisionCache == null) {
      throw new ConfigException("decision_cache", "must be a mapping");
    }
    if (c.decisionCache.sampledCacheSize < 0) {
      throw new ConfigException("decision_cache::sampled_cache_size", "must not be negative");
    }
    if (c.decisionCache.nonSampledCacheSize < 0) {
      throw new ConfigException("decision_cache::non_sampled_cache_size", "must not be negative");
    }
    Policies.build(c.policies, SamplingClock.system());
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Processor<T> create(ComponentSettings settings, TailSamplingConfig c,
      Signal<T> signal, Consumer<T> next) {
    SamplingClock clock = SamplingClock.system();
    return (Processor<T>) new TailSamplingProcessor(settings.id().toString(), c,
        Policies.build(c.policies, clock), (Consumer<ExportTraceServiceRequest>) next, clock,
        settings.telemetry().registry(), settings.logger(TailSamplingProcessor.class), true);
  }
}
