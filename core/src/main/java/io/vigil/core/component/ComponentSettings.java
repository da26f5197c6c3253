package io.vigil.core.component;

import io.vigil.core.telemetry.GatewayTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway gives every component it creates: its ID, and where it reports its own
 * metrics.
 */
public final class ComponentSettings {

  private final ComponentKind kind;
  private final ComponentId id;
  private final GatewayTelemetry telemetry;

  public ComponentSettings(ComponentKind kind, ComponentId id, GatewayTelemetry telemetry) {
    this.kind = kind;
    this.id = id;
    this.telemetry = telemetry;
  }

  public ComponentKind kind() {
    return kind;
  }

  public ComponentId id() {
    return id;
  }

  public GatewayTelemetry telemetry() {
    return telemetry;
  }

  /** A logger whose name carries the component's kind and ID, so operators can grep for it. */
  public Logger logger(Class<?> type) {
    return LoggerFactory.getLogger(
        type.getName() + "." + kind.name().toLowerCase() + "." + id.toString().replace('/', '.'));
  }
}
