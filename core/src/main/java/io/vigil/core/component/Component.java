package io.vigil.core.component;

import java.time.Instant;

/**
 * Lifecycle shared by every component. The pipeline starts components from the exporters
 * backwards (so nothing is received before it can be sent) and shuts them down from the
 * receivers forwards (so every stage can drain into a stage that is still running).
 */
public interface Component {

  /** Opens ports, starts threads. Throws when the component cannot run, e.g. a port in use. */
  default void start() throws Exception {}

  /**
   * Starts with access to the running extensions (the Collector's {@code Start(ctx, host)}). The
   * graph calls this one; the default runs {@link #start()}, so components that need no
   * extension keep overriding {@code start()} alone. A wrapper that delegates must pass the host.
   */
  default void start(Host host) throws Exception {
    start();
  }

  /**
   * Stops accepting work and finishes what is in flight, giving up at {@code deadline}. Data
   * still held at the deadline is counted as dropped and logged by the component.
   */
  default void shutdown(Instant deadline) {}
}
