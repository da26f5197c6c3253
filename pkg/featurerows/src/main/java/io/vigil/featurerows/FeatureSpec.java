package io.vigil.featurerows;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named feature: which metric's points (and which of their attributes), aggregated how,
 * per service and window. A config bean (snake_case keys through the gateway's config binder).
 */
public class FeatureSpec {
  /** Column name in the rows and in the model's {@code vigil.features}; [A-Za-z0-9_.]+. */
  public String name = "";
  /** The metric's name, e.g. {@code traces.span.metrics.calls}. */
  public String metric = "";
  /** {@code last}, {@code mean}, {@code max}, {@code min}, {@code min_total}, {@code sum},
   * {@code rate}, {@code ratio}, {@code quantile} or {@code change}. */
  public String aggregation = "last";
  /** Attributes a point must carry (point attributes, else resource attributes). */
  public Map<String, String> where = new LinkedHashMap<>();
  /** For {@code ratio}: the attributes of the points counted above the line. */
  public Map<String, String> numerator = new LinkedHashMap<>();
  /** For {@code quantile}: which one, in (0, 1). */
  public double quantile = 0.95;
  /** For {@code change}: the earlier feature whose change this is. */
  public String of = "";
  /** For {@code change}: how far back, a whole number of windows. */
  public Duration over;

  public FeatureSpec() {}

  public FeatureSpec(String name, String metric, String aggregation) {
    this.name = name;
    this.metric = metric;
    this.aggregation = aggregation;
  }

  public FeatureSpec where(String key, String value) {
    where.put(key, value);
    return this;
  }

  public FeatureSpec numerator(String key, String value) {
    numerator.put(key, value);
    return this;
  }

  /** A {@code change} feature: {@code of}'s value now minus its value {@code over} ago. */
  public static FeatureSpec change(String name, String of, Duration over) {
    FeatureSpec f = new FeatureSpec(name, "", "change");
    f.of = of;
    f.over = over;
    return f;
  }

  public FeatureSpec quantile(double q) {
    quantile = q;
    return this;
  }
}
