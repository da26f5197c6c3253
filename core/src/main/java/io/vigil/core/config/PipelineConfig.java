package io.vigil.core.config;

import io.vigil.core.component.ComponentId;
import java.util.List;

/** One entry of {@code service.pipelines}: its components, in order. */
public final class PipelineConfig {

  private final PipelineId id;
  private final List<ComponentId> receivers;
  private final List<ComponentId> processors;
  private final List<ComponentId> exporters;

  public PipelineConfig(
      PipelineId id,
      List<ComponentId> receivers,
      List<ComponentId> processors,
      List<ComponentId> exporters) {
    this.id = id;
    this.receivers = List.copyOf(receivers);
    this.processors = List.copyOf(processors);
    this.exporters = List.copyOf(exporters);
  }

  public PipelineId id() {
    return id;
  }

  public List<ComponentId> receivers() {
    return receivers;
  }

  public List<ComponentId> processors() {
    return processors;
  }

  public List<ComponentId> exporters() {
    return exporters;
  }
}
