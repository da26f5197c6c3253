package io.vigil.core.component;

/**
 * Names a component type and supplies its configuration. Concrete factories implement one of
 * the kind-specific sub-interfaces and are listed in {@code META-INF/services} so the gateway
 * finds them with {@link java.util.ServiceLoader}.
 *
 * <p>The config class is a mutable bean whose fields are the collector's snake_case keys. The
 * loader starts from {@link #createDefaultConfig()} and overwrites the keys the file sets, so
 * a key that is absent keeps its default; a key the class does not have is an error.
 *
 * @param <C> the component's config class
 */
public interface ComponentFactory<C> {

  /** The type name used in config IDs, e.g. {@code otlp}, {@code batch}. */
  String type();

  /** A fresh config holding every default. */
  C createDefaultConfig();

  /**
   * Checks the config after loading.
   *
   * @throws io.vigil.core.config.ConfigException naming the offending key relative to the
   *     component
   */
  default void validate(C config) {}

  /**
   * The {@code host:port} addresses a component with this config will listen on, keyed by their
   * key path relative to the component (e.g. {@code protocols::grpc::endpoint}). The
   * {@code validate} command probes them, so a port in use is reported without starting
   * anything.
   */
  default java.util.Map<String, String> listenAddresses(C config) {
    return java.util.Map.of();
  }
}
