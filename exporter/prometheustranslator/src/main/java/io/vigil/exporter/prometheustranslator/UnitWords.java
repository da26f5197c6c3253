package io.vigil.exporter.prometheustranslator;

import java.util.Map;

/**
 * Turns a UCUM unit as OTLP carries it ({@code ms}, {@code By}, {@code {request}/s}) into the
 * words a Prometheus metric name ends with ({@code milliseconds}, {@code bytes},
 * {@code per_second}), as the OpenTelemetry specification and the collector's translator do.
 */
public final class UnitWords {

  private static final Map<String, String> MAIN = Map.ofEntries(
      Map.entry("d", "days"),
      Map.entry("h", "hours"),
      Map.entry("min", "minutes"),
      Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"),
      Map.entry("us", "microseconds"),
      Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"),
      Map.entry("KiBy", "kibibytes"),
      Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"),
      Map.entry("TiBy", "tibibytes"),
      Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"),
      Map.entry("GBy", "gigabytes"),
      Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"),
      Map.entry("V", "volts"),
      Map.entry("A", "amperes"),
      Map.entry("J", "joules"),
      Map.entry("W", "watts"),
      Map.entry("g", "grams"),
      Map.entry("Cel", "celsius"),
      Map.entry("Hz", "hertz"),
      Map.entry("%", "percent"));

  private static final Map<String, String> PER = Map.of(
      "s", "second",
      "m", "minute",
      "h", "hour",
      "d", "day",
      "w", "week",
      "mo", "month",
      "y", "year");

  private UnitWords() {}

  /**
   * The suffix words for a unit, without a leading underscore, or "" when the unit adds none
   * (empty, {@code 1}, or only an annotation such as {@code {request}}).
   */
  public static String suffix(String unit) {
    if (unit == null) {
      return "";
    }
    // Annotations in braces are for humans ({request}, {packet}/s) and never become words.
    String u = unit.replaceAll("\\{[^}]*}", "").trim();
    if (u.isEmpty() || u.equals("1")) {
      return "";
    }
    int slash = u.indexOf('/');
    if (slash < 0) {
      return words(MAIN.getOrDefault(u, u));
    }
    String main = u.substring(0, slash).trim();
    String per = u.substring(slash + 1).trim();
    String mainWords = main.isEmpty() || main.equals("1") ? "" : words(MAIN.getOrDefault(main, main));
    String perWords = per.isEmpty() ? "" : words(PER.getOrDefault(per, per));
    if (perWords.isEmpty()) {
      return mainWords;
    }
    return mainWords.isEmpty() ? "per_" + perWords : mainWords + "_per_" + perWords;
  }

  private static String words(String s) {
    return PrometheusNames.sanitize(s).replaceAll("^_+|_+$", "");
  }
}
