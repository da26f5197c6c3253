package io.vigil.core.component;

import io.vigil.core.telemetry.GatewayTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway gives every component it creates: its ID, where it reports its own
 * metrics, and the host through which it finds extensions.
 */
public final class ComponentSettings {

  private final ComponentKind kind;
  private final ComponentId id;
  private final GatewayTelemetry telemetry;
  private final Host host;

  public ComponentSettings(ComponentKind kind, ComponentId id, GatewayTelemetry telemetry) {
    this(kind, id, telemetry, Host.NONE);
  }

  public ComponentSettings(
      ComponentKind kind, ComponentId id, GatewayTelemetry telemetry, Host host) {
    this.kind = kind;
    this.id = id;
    this.telemetry = telemetry;
    this.host = host;
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

  /**
   * The running extensions. Also handed to {@link Component#start(Host)}; kept here so a component
   * wrapped by another (which may only forward {@code start()}) still reaches them. Look them up
   * at start, not at creation: extensions are created first but only started just before.
   */
  public Host host() {
    return host;
  }

  /** A logger whose name carries the component's kind and ID, so operators can grep for it. */
  public Logger logger(Class<?> type) {
    return LoggerFactory.getLogger(
        type.getName() + "." + kind.name().toLowerCase() + "." + id.toString().replace('/', '.'));
  }
}
