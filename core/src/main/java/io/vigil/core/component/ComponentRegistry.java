package io.vigil.core.component;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every component factory on the class path, by kind and type name. A third-party jar adds a
 * component by listing its factory in {@code META-INF/services/<factory interface>}.
 */
public final class ComponentRegistry {

  private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories;

  private ComponentRegistry(Map<ComponentKind, Map<String, ComponentFactory<?>>> factories) {
    this.factories = factories;
  }

  /** Finds factories with {@link ServiceLoader} in the given class loader. */
  public static ComponentRegistry load(ClassLoader loader) {
    Builder b = builder();
    ServiceLoader.load(ReceiverFactory.class, loader).forEach(f -> b.add(ComponentKind.RECEIVER, f));
    ServiceLoader.load(ProcessorFactory.class, loader)
        .forEach(f -> b.add(ComponentKind.PROCESSOR, f));
    ServiceLoader.load(ExporterFactory.class, loader).forEach(f -> b.add(ComponentKind.EXPORTER, f));
    ServiceLoader.load(ConnectorFactory.class, loader)
        .forEach(f -> b.add(ComponentKind.CONNECTOR, f));
    ServiceLoader.load(ExtensionFactory.class, loader)
        .forEach(f -> b.add(ComponentKind.EXTENSION, f));
    return b.build();
  }

  public static ComponentRegistry load() {
    return load(Thread.currentThread().getContextClassLoader());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The factory of this kind and type, or null. */
  public ComponentFactory<?> factory(ComponentKind kind, String type) {
    return factories.get(kind).get(type);
  }

  /** Type names known for a kind, sorted, for error messages. */
  public java.util.Set<String> types(ComponentKind kind) {
    return Collections.unmodifiableSet(factories.get(kind).keySet());
  }

  /** Collects factories; a second factory for the same kind and type is a programming error. */
  public static final class Builder {
    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> map =
        new EnumMap<>(ComponentKind.class);

    private Builder() {
      for (ComponentKind k : ComponentKind.values()) {
        map.put(k, new TreeMap<>());
      }
    }

    public Builder add(ComponentKind kind, ComponentFactory<?> factory) {
      ComponentFactory<?> previous = map.get(kind).putIfAbsent(factory.type(), factory);
      if (previous != null && previous.getClass() != factory.getClass()) {
        throw new IllegalStateException(
            "two " + kind.section() + " factories claim type \"" + factory.type() + "\": "
                + previous.getClass().getName() + " and " + factory.getClass().getName());
      }
      return this;
    }

    public ComponentRegistry build() {
      return new ComponentRegistry(map);
    }
  }
}
