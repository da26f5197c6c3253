package io.vigil.exporter.prometheustranslator;

import java.util.Arrays;
import java.util.List;

/**
 * Names of Prometheus metrics and labels for OTLP metrics, following the OpenTelemetry
 * specification ("Prometheus and OpenMetrics Compatibility") as the collector's
 * prometheusexporter applies it: characters outside {@code [a-zA-Z0-9_:]} become {@code _},
 * runs of {@code _} collapse, a leading digit gets a {@code _} in front, the unit becomes a
 * suffix in words ({@code _seconds}, {@code _bytes}, {@code _ratio} for unit {@code 1} on a
 * gauge), and monotonic sums end in {@code _total}.
 *
 * <p>Other code (the remote-write exporter, the dashboard checks) uses this class so that every
 * path out of the gateway names a metric the same way.
 */
public final class PrometheusNames {

  private PrometheusNames() {}

  /** The Prometheus type an OTLP metric becomes. */
  public enum Type {
    COUNTER, GAUGE, HISTOGRAM, SUMMARY
  }

  /**
   * The metric family name without the {@code _total} that counters get when written (the
   * exposition library appends it); see {@link #seriesName} for the name Prometheus stores.
   *
   * @param namespace prefix joined with {@code _}; empty for none
   * @param addUnitSuffixes false leaves the name as the sanitised OTLP name
   */
  public static String familyName(
      String namespace, String otlpName, String unit, Type type, boolean addUnitSuffixes) {
    String name = sanitize(namespace == null || namespace.isEmpty()
        ? otlpName : namespace + "_" + otlpName);
    if (type == Type.COUNTER) {
      name = stripSuffix(name, "_total");
    }
    if (addUnitSuffixes) {
      String suffix = UnitWords.suffix(unit);
      if (type == Type.GAUGE && "1".equals(unit == null ? "" : unit.trim())) {
        suffix = "ratio";
      }
      if (!suffix.isEmpty() && !hasTokens(name, suffix)) {
        name = name + "_" + suffix;
      }
    }
    return name;
  }

  /** The name Prometheus stores for the family's main series: counters end in {@code _total}. */
  public static String seriesName(String familyName, Type type) {
    return type == Type.COUNTER ? familyName + "_total" : familyName;
  }

  /** The unit word for {@code # UNIT}, when the name ends with it; else null. */
  public static String unitWord(String familyName, String unit, Type type) {
    String word = type == Type.GAUGE && "1".equals(unit) ? "ratio" : UnitWords.suffix(unit);
    return !word.isEmpty() && familyName.endsWith("_" + word) ? word : null;
  }

  /** A metric name made valid: invalid characters to {@code _}, runs of {@code _} collapsed. */
  public static String sanitize(String name) {
    if (name == null || name.isEmpty()) {
      return "_";
    }
    StringBuilder b = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '_' || c == ':';
      char out = valid ? c : '_';
      if (out == '_' && b.length() > 0 && b.charAt(b.length() - 1) == '_') {
        continue;
      }
      b.append(out);
    }
    if (Character.isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    return b.toString();
  }

  /**
   * A label name made valid: invalid characters become {@code _}; a leading digit, or a single
   * leading {@code _} (reserved-looking but not reserved), gets {@code key} in front.
   */
  public static String label(String key) {
    if (key == null || key.isEmpty()) {
      return "key_empty";
    }
    StringBuilder b = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '_';
      b.append(valid ? c : '_');
    }
    if (Character.isDigit(b.charAt(0))) {
      b.insert(0, "key_");
    } else if (b.charAt(0) == '_' && (b.length() == 1 || b.charAt(1) != '_')) {
      b.insert(0, "key");
    }
    return b.toString();
  }

  private static String stripSuffix(String name, String suffix) {
    return name.endsWith(suffix) && name.length() > suffix.length()
        ? name.substring(0, name.length() - suffix.length()) : name;
  }

  /** Whether the name already holds the suffix's words, e.g. {@code http_duration_seconds_max}. */
  private static boolean hasTokens(String name, String suffix) {
    List<String> tokens = Arrays.asList(name.split("_"));
    List<String> words = Arrays.asList(suffix.split("_"));
    return java.util.Collections.indexOfSubList(tokens, words) >= 0;
  }
}
