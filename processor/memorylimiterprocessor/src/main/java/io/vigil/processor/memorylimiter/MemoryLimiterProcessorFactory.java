package io.vigil.processor.memorylimiter;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Set;

/** Type {@code memory_limiter}. */
public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {

  @Override
  public String type() {
    return "memory_limiter";
  }

  @Override
  public MemoryLimiterConfig createDefaultConfig() {
    return new MemoryLimiterConfig();
  }

  @Override
  public void validate(MemoryLimiterConfig c) {
    if (c.checkInterval == null || c.checkInterval.isZero() || c.checkInterval.isNegative()) {
      throw new ConfigException("check_interval", "must be a positive duration");
    }
    if (c.limitMib < 0) {
      throw new ConfigException("limit_mib", "must not be negative");
    }
    if (c.limitMib == 0 && c.limitPercentage == 0) {
      throw new ConfigException("limit_mib", "set limit_mib or limit_percentage");
    }
    if (c.limitPercentage < 0 || c.limitPercentage > 100) {
      throw new ConfigException("limit_percentage", "must be between 0 and 100");
    }
    if (c.limitMib > 0 && c.spikeLimitMib >= c.limitMib) {
      throw new ConfigException("spike_limit_mib", "must be below limit_mib");
    }
    if (c.limitMib == 0 && c.spikeLimitPercentage >= c.limitPercentage) {
      throw new ConfigException("spike_limit_percentage", "must be below limit_percentage");
    }
    if (c.spikeLimitMib < 0 || c.spikeLimitPercentage < 0) {
      throw new ConfigException("spike_limit_mib", "must not be negative");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, MemoryLimiterConfig config, Signal<T> signal, Consumer<T> next) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    HeapLimits limits = HeapLimits.of(config, Runtime.getRuntime().maxMemory());
    return new MemoryLimiterProcessor<>(settings.id().toString(), config, limits,
        () -> memory.getHeapMemoryUsage().getUsed(), next,
        settings.logger(MemoryLimiterProcessor.class));
  }
}
