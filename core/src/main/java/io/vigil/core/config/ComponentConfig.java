package io.vigil.core.config;

import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;

/** One configured component: its ID, the factory for its type, and its loaded config. */
public final class ComponentConfig {

  private final ComponentKind kind;
  private final ComponentId id;
  private final ComponentFactory<?> factory;
  private final Object config;

  public ComponentConfig(
      ComponentKind kind, ComponentId id, ComponentFactory<?> factory, Object config) {
    this.kind = kind;
    this.id = id;
    this.factory = factory;
    this.config = config;
  }

  public ComponentKind kind() {
    return kind;
  }

  public ComponentId id() {
    return id;
  }

  public ComponentFactory<?> factory() {
    return factory;
  }

  public Object config() {
    return config;
  }

  /** The key path of this component in the file, e.g. {@code exporters::otlp/backup}. */
  public String keyPath() {
    return kind.section() + "::" + id;
  }
}
