package io.vigil.processor.redaction;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.component.RewritingProcessor;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Type {@code redaction}. */
public final class RedactionProcessorFactory implements ProcessorFactory<RedactionConfig> {

  @Override
  public String type() {
    return "redaction";
  }

  /** Fails closed, as the Collector's: with no allowed_keys every attribute is removed. */
  @Override
  public RedactionConfig createDefaultConfig() {
    return new RedactionConfig();
  }

  @Override
  public void validate(RedactionConfig c) {
    c.validate();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, RedactionConfig config, Signal<T> signal, Consumer<T> next) {
    Redactor redactor = new Redactor(config);
    RedactionCounts counts = new RedactionCounts(
        settings.telemetry().registry(), settings.id().toString(), signal.name());
    UnaryOperator<?> rewrite;
    if (signal == Signal.TRACES) {
      rewrite = new TracesRedaction(redactor, counts);
    } else if (signal == Signal.LOGS) {
      rewrite = new LogsRedaction(redactor, counts);
    } else {
      rewrite = new MetricsRedaction(redactor, counts);
    }
    return new RewritingProcessor<>((UnaryOperator<T>) rewrite, next);
  }
}
