package io.vigil.core.component;

import io.vigil.core.Consumer;
import io.vigil.core.Signal;

/**
 * Creates connectors: a connector is an exporter at the end of one pipeline and a receiver at
 * the start of others, e.g. spans in, RED metrics out.
 */
public interface ConnectorFactory<C> extends ComponentFactory<C> {

  /** Whether this connector can take {@code from} and emit {@code to}. */
  boolean supports(Signal<?> from, Signal<?> to);

  /**
   * Creates the connector's entry point for one (from, to) pair; {@code next} feeds every
   * pipeline that lists the connector as a receiver for {@code to}.
   */
  <F extends com.google.protobuf.Message, T extends com.google.protobuf.Message>
      Connector<F> create(
          ComponentSettings settings, C config, Signal<F> from, Signal<T> to, Consumer<T> next);
}
