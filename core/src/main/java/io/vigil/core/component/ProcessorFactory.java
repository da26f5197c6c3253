package io.vigil.core.component;

import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import java.util.Set;

/**
 * Creates processors. Unlike receivers and exporters, a processor instance belongs to one
 * pipeline: the same processor ID in two pipelines gives two instances with separate state.
 */
public interface ProcessorFactory<C> extends ComponentFactory<C> {

  Set<Signal<?>> signals();

  <T extends com.google.protobuf.Message> Processor<T> create(
      ComponentSettings settings, C config, Signal<T> signal, Consumer<T> next);
}
