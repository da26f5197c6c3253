package io.vigil.core.config;

/**
 * A config problem, with the key path where it was found written the collector's way:
 * {@code exporters::otlp/backup::endpoint}.
 */
public final class ConfigException extends RuntimeException {

  private final String keyPath;
  private final String problem;

  public ConfigException(String keyPath, String problem) {
    super(keyPath == null || keyPath.isEmpty() ? problem : keyPath + ": " + problem);
    this.keyPath = keyPath == null ? "" : keyPath;
    this.problem = problem;
  }

  public ConfigException(String keyPath, String problem, Throwable cause) {
    this(keyPath, problem);
    initCause(cause);
  }

  /** Key path relative to the file's root, segments joined with {@code ::}. */
  public String keyPath() {
    return keyPath;
  }

  public String problem() {
    return problem;
  }

  /** The same problem seen from an enclosing key: {@code prefix::keyPath}. */
  public ConfigException under(String prefix) {
    String path = keyPath.isEmpty() ? prefix : prefix + "::" + keyPath;
    ConfigException e = new ConfigException(path, problem);
    e.initCause(getCause());
    return e;
  }

  /** Fails unless {@code value}, the duration at {@code keyPath}, is set and above zero. */
  public static void requirePositive(java.time.Duration value, String keyPath) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new ConfigException(keyPath, "must be a positive duration");
    }
  }
}
