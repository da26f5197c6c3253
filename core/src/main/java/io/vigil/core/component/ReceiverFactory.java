package io.vigil.core.component;

import io.vigil.core.Signal;
import java.util.Set;

/** Creates receivers: components that take data from outside into the pipelines. */
public interface ReceiverFactory<C> extends ComponentFactory<C> {

  /** Signals this receiver type can produce. */
  Set<Signal<?>> signals();

  /**
   * Creates one receiver instance for one receiver ID. The gateway creates each receiver once,
   * however many pipelines use it; {@code consumers} holds the entry point of every pipeline,
   * per signal, that lists it.
   */
  Receiver create(ComponentSettings settings, C config, SignalConsumers consumers);
}
