package io.vigil.exporter.loadbalancing;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the backends come from: tells the exporter the whole current set of {@code host:port}
 * endpoints each time it changes (and once when first known), from its own thread.
 */
interface BackendResolver {

  void start(Consumer<Set<String>> onChange) throws Exception;

  void shutdown();
}
