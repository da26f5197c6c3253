package io.vigil.exporter.incidents.internal;

import io.vigil.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Finds a classifier or recommender on the class path by the name the config gives. */
public final class Plugins {

  private Plugins() {}

  public static <T> T named(Class<T> type, String name, Function<T, String> nameOf,
      String keyPath) {
    List<String> found = new ArrayList<>();
    for (T t : ServiceLoader.load(type, Plugins.class.getClassLoader())) {
      if (nameOf.apply(t).equals(name)) {
        return t;
      }
      found.add(nameOf.apply(t));
    }
    throw new ConfigException(keyPath, "no " + type.getSimpleName() + " named \"" + name
        + "\" on the class path (found: " + String.join(", ", found) + ")");
  }
}
