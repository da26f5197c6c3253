package io.vigil.core.config;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A loaded, validated config file: components by kind and ID, pipelines, and service settings. */
public final class GatewayConfig {

  private final Map<ComponentKind, Map<ComponentId, ComponentConfig>> components;
  private final Map<PipelineId, PipelineConfig> pipelines;
  private final List<ComponentId> extensions;
  private final TelemetryConfig telemetry;

  GatewayConfig(
      Map<ComponentKind, Map<ComponentId, ComponentConfig>> components,
      Map<PipelineId, PipelineConfig> pipelines,
      List<ComponentId> extensions,
      TelemetryConfig telemetry) {
    this.components = new EnumMap<>(components);
    this.pipelines = Collections.unmodifiableMap(pipelines);
    this.extensions = List.copyOf(extensions);
    this.telemetry = telemetry;
  }

  /** Configured components of a kind, in file order. */
  public Map<ComponentId, ComponentConfig> components(ComponentKind kind) {
    return Collections.unmodifiableMap(components.get(kind));
  }

  public ComponentConfig component(ComponentKind kind, ComponentId id) {
    return components.get(kind).get(id);
  }

  /** Pipelines in file order. */
  public Map<PipelineId, PipelineConfig> pipelines() {
    return pipelines;
  }

  /** Extensions enabled in {@code service.extensions}, in start order. */
  public List<ComponentId> extensions() {
    return extensions;
  }

  public TelemetryConfig telemetry() {
    return telemetry;
  }
}
