package io.vigil.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config problem, with the key path where it was found written the collector's way:
 * {@code exporters::otlp/backup::endpoint}. One exception may carry several problems
 * ({@link #problems()}), so that a config with many mistakes is fixed in one round, not one
 * start-up per mistake (the Collector's core #4613); its message is one line per problem, the
 * first problem first.
 */
public final class ConfigException extends RuntimeException {

  private final String keyPath;
  private final String problem;
  private final List<ConfigException> problems;

  public ConfigException(String keyPath, String problem) {
    super(keyPath == null || keyPath.isEmpty() ? problem : keyPath + ": " + problem);
    this.keyPath = keyPath == null ? "" : keyPath;
    this.problem = problem;
    this.problems = List.of(this);
  }

  public ConfigException(String keyPath, String problem, Throwable cause) {
    this(keyPath, problem);
    initCause(cause);
  }

  private ConfigException(List<ConfigException> problems) {
    super(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n")));
    this.keyPath = problems.get(0).keyPath;
    this.problem = problems.get(0).problem;
    this.problems = List.copyOf(problems);
  }

  /**
   * One exception for every problem found, in the order found: the problem itself when there
   * is one.
   *
   * @throws IllegalArgumentException when {@code found} is empty
   */
  public static ConfigException of(List<ConfigException> found) {
    List<ConfigException> flat = found.stream().flatMap(e -> e.problems().stream()).toList();
    if (flat.isEmpty()) {
      throw new IllegalArgumentException("no config problems to report");
    }
    return flat.size() == 1 ? flat.get(0) : new ConfigException(flat);
  }

  /** Key path (of the first problem) relative to the file's root, joined with {@code ::}. */
  public String keyPath() {
    return keyPath;
  }

  /** What is wrong (with the first problem), without the key path. */
  public String problem() {
    return problem;
  }

  /** Every problem this exception reports, each with its own key path; at least one. */
  public List<ConfigException> problems() {
    return problems;
  }

  /** The same problems seen from an enclosing key: {@code prefix::keyPath}. */
  public ConfigException under(String prefix) {
    if (problems.size() > 1) {
      return of(problems.stream().map(p -> p.under(prefix)).toList());
    }
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
