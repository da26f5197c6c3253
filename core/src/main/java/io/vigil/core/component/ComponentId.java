package io.vigil.core.component;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A component's ID as written in config: {@code type} or {@code type/name}, e.g. {@code otlp}
 * or {@code otlp/backup}. The type selects the factory; the name tells instances apart.
 */
public final class ComponentId {

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern NAME = Pattern.compile("[^/\\s]+");

  private final String type;
  private final String name;

  private ComponentId(String type, String name) {
    this.type = type;
    this.name = name;
  }

  public static ComponentId of(String type) {
    return new ComponentId(type, "");
  }

  public static ComponentId of(String type, String name) {
    return new ComponentId(type, name == null ? "" : name);
  }

  /**
   * Parses {@code type[/name]}.
   *
   * @throws IllegalArgumentException naming what is wrong with the ID
   */
  public static ComponentId parse(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("component ID is empty");
    }
    String s = id.trim();
    int slash = s.indexOf('/');
    String type = slash < 0 ? s : s.substring(0, slash);
    String name = slash < 0 ? "" : s.substring(slash + 1);
    if (!TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "invalid component type \"" + type + "\" in ID \"" + id
              + "\": use lower-case letters, digits and _");
    }
    if (slash >= 0 && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid component name in ID \"" + id + "\": the part after / must be non-empty"
              + " and contain no / or whitespace");
    }
    return new ComponentId(type, name);
  }

  public String type() {
    return type;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ComponentId
        && ((ComponentId) o).type.equals(type)
        && ((ComponentId) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
