package io.vigil.core.component;

import io.vigil.core.Signal;
import java.util.Set;

/** Creates exporters: components that send data out of the gateway. */
public interface ExporterFactory<C> extends ComponentFactory<C> {

  Set<Signal<?>> signals();

  /**
   * Creates one exporter instance for one exporter ID, shared by every pipeline that lists it.
   * {@code signals} are the signals of those pipelines.
   */
  Exporter create(ComponentSettings settings, C config, Set<Signal<?>> signals);
}
