package io.vigil.core.component;

import io.vigil.core.Signal;

/**
 * Creates connectors: a connector is an exporter at the end of one pipeline and a receiver at
 * the start of others, e.g. spans in, RED metrics out.
 */
public interface ConnectorFactory<C> extends ComponentFactory<C> {

  /** Whether this connector can take {@code from} and emit {@code to}. */
  boolean supports(Signal<?> from, Signal<?> to);

  /**
   * Creates the connector for one incoming signal. The graph calls this once per (connector ID,
   * {@code from}) with all outgoing consumers at once, so a connector that emits several signals
   * (the anomaly connector: scores as metrics, events as logs) works on each batch once and owns
   * its state in one instance, rather than re-joining per-signal instances behind the graph's back.
   *
   * <p>{@code outputs} is never empty and holds only signals {@code to} for which
   * {@link #supports supports(from, to)} holds and some pipeline lists the connector as a
   * receiver; any other output the connector could emit must be treated as not wired.
   */
  <F extends com.google.protobuf.Message> Connector<F> create(
      ComponentSettings settings, C config, Signal<F> from, ConnectorOutputs outputs);
}
