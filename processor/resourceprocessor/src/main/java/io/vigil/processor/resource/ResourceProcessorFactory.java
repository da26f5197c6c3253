package io.vigil.processor.resource;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.component.ProcessorFactory;
import io.vigil.core.component.RewritingProcessor;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.attraction.AttributeActions;
import java.util.Set;

/** Type {@code resource}. */
public final class ResourceProcessorFactory implements ProcessorFactory<ResourceConfig> {

  @Override
  public String type() {
    return "resource";
  }

  @Override
  public ResourceConfig createDefaultConfig() {
    return new ResourceConfig();
  }

  @Override
  public void validate(ResourceConfig c) {
    if (c.attributes == null || c.attributes.isEmpty()) {
      throw new ConfigException("attributes", "required: at least one action");
    }
    AttributeActions.compile(c.attributes, "attributes");
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public <T extends Message> Processor<T> create(
      ComponentSettings settings, ResourceConfig config, Signal<T> signal, Consumer<T> next) {
    AttributeActions actions =
        AttributeActions.compile(config.attributes, "processors::" + settings.id() + "::attributes");
    if (!actions.contextKeys().isEmpty()) {
      settings.logger(ResourceProcessorFactory.class).warn("{}: from_context {} never has a value here (Vigil's"
          + " receivers do not pass client metadata on); default_value is used where given",
          settings.id(), actions.contextKeys());
    }
    return new RewritingProcessor<>(ResourceRewriter.forSignal(signal, actions)::rewrite, next);
  }
}
