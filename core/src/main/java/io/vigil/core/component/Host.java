package io.vigil.core.component;

import io.vigil.core.config.ConfigException;
import java.util.Map;
import java.util.Optional;

/**
 * What a running gateway offers its components beyond their own config: the extensions listed in
 * {@code service::extensions}, by ID, as the Collector's {@code component.Host.GetExtensions()}
 * does. A sending queue finds its {@code storage: file_storage} here when it starts.
 *
 * <p>Extensions start before every other component and stop after them, so a component may use
 * what it looks up here from its own {@code start} until its {@code shutdown} returns.
 */
public interface Host {

  /** A host without extensions, for components built outside a pipeline graph (tests, tools). */
  Host NONE = Map::of;

  /** The extensions that run, by ID, in start order. */
  Map<ComponentId, Extension> extensions();

  /** The extension with this ID if it runs and is a {@code type}; empty otherwise. */
  default <T> Optional<T> extension(ComponentId id, Class<T> type) {
    Extension e = extensions().get(id);
    return type.isInstance(e) ? Optional.of(type.cast(e)) : Optional.empty();
  }

  /**
   * The extension a component's config names at {@code keyPath} (e.g.
   * {@code sending_queue::storage}).
   *
   * @throws ConfigException at {@code keyPath} saying whether the extension does not run (not in
   *     {@code service::extensions}) or is of another kind than the component needs
   */
  default <T> T requireExtension(ComponentId id, Class<T> type, String keyPath) {
    Extension e = extensions().get(id);
    if (e == null) {
      throw new ConfigException(
          keyPath,
          "extension \"" + id + "\" is not running; configure it under extensions and list it in"
              + " service::extensions");
    }
    if (!type.isInstance(e)) {
      throw new ConfigException(
          keyPath,
          "extension \"" + id + "\" is a " + e.getClass().getSimpleName() + ", not a "
              + type.getSimpleName());
    }
    return type.cast(e);
  }
}
