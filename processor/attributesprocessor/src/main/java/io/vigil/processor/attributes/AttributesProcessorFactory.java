package io.vigil.processor.attributes;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.component.RewritingProcessor;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.attraction.AttributeActions;
import io.vigil.processor.attributes.internal.ItemSelector;
import io.vigil.processor.attributes.internal.LogsRewriter;
import io.vigil.processor.attributes.internal.MetricsRewriter;
import io.vigil.processor.attributes.internal.RequestRewriter;
import io.vigil.processor.attributes.internal.TracesRewriter;
import java.util.Set;

/** Type {@code attributes}. */
public final class AttributesProcessorFactory implements ProcessorFactory<AttributesConfig> {

  @Override
  public String type() {
    return "attributes";
  }

  @Override
  public AttributesConfig createDefaultConfig() {
    return new AttributesConfig();
  }

  @Override
  public void validate(AttributesConfig c) {
    if (c.actions == null || c.actions.isEmpty()) {
      throw new ConfigException("actions", "required: at least one action");
    }
    AttributeActions.compile(c.actions, "actions");
    // Which include/exclude properties are allowed depends on the signal (no log_bodies on
    // spans), so the full check runs when the processor is built for a pipeline, as in the
    // Collector. A selection that no signal accepts is refused here already.
    ConfigException first = null;
    for (Signal<?> s : Signal.all()) {
      try {
        ItemSelector.compile(c.include, c.exclude, s, "");
        return;
      } catch (ConfigException e) {
        if (first == null) {
          first = new ConfigException(e.keyPath().replaceFirst("^::", ""), e.problem());
        }
      }
    }
    throw first;
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, AttributesConfig config, Signal<T> signal, Consumer<T> next) {
    String path = "processors::" + settings.id();
    AttributeActions actions = AttributeActions.compile(config.actions, path + "::actions");
    ItemSelector selector = ItemSelector.compile(config.include, config.exclude, signal, path);
    if (!actions.contextKeys().isEmpty()) {
      settings.logger(AttributesProcessorFactory.class).warn("{}: from_context {} never has a value here (Vigil's"
          + " receivers do not pass client metadata on); default_value is used where given",
          settings.id(), actions.contextKeys());
    }
    return new RewritingProcessor<>(rewriter(signal, actions, selector)::rewrite, next);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> RequestRewriter<T> rewriter(Signal<T> signal, AttributeActions actions,
      ItemSelector selector) {
    if (signal == Signal.TRACES) {
      return (RequestRewriter<T>) new TracesRewriter(actions, selector);
    }
    if (signal == Signal.LOGS) {
      return (RequestRewriter<T>) new LogsRewriter(actions, selector);
    }
    return (RequestRewriter<T>) new MetricsRewriter(actions, selector);
  }
}
