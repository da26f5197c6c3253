package io.vigil.processor.batch;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.config.ConfigException;
import java.util.Set;

/** Type {@code batch}. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchConfig> {

  @Override
  public String type() {
    return "batch";
  }

  @Override
  public BatchConfig createDefaultConfig() {
    return new BatchConfig();
  }

  @Override
  public void validate(BatchConfig c) {
    if (c.sendBatchSize < 1) {
      throw new ConfigException("send_batch_size", "must be at least 1");
    }
    if (c.sendBatchMaxSize < 0) {
      throw new ConfigException("send_batch_max_size", "must not be negative");
    }
    if (c.sendBatchMaxSize > 0 && c.sendBatchMaxSize < c.sendBatchSize) {
      throw new ConfigException("send_batch_max_size",
          "must be 0 or at least send_batch_size (" + c.sendBatchSize + ")");
    }
    if (c.timeout == null || c.timeout.isNegative()) {
      throw new ConfigException("timeout", "must not be negative");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, BatchConfig config, Signal<T> signal, Consumer<T> next) {
    return new BatchProcessor<>(signal, config, next, settings.id().toString());
  }
}
