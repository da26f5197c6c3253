package io.vigil.connector.spanmetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Config of the {@code spanmetrics} connector; keys as the collector's spanmetricsconnector. */
public class SpanMetricsConfig {
  /** Prefix of the metric names: {@code <namespace>.calls}, {@code <namespace>.duration}. */
  public String namespace = "traces.span.metrics";
  public Histogram histogram = new Histogram();
  /** Extra labels from span (then resource) attributes, beyond the four default ones. */
  public List<Dimension> dimensions = new ArrayList<>();
  public Exemplars exemplars = new Exemplars();
  /** How often the metrics are emitted. */
  public Duration metricsFlushInterval = Duration.ofSeconds(60);
  /** AGGREGATION_TEMPORALITY_CUMULATIVE or AGGREGATION_TEMPORALITY_DELTA. */
  public String aggregationTemporality = "AGGREGATION_TEMPORALITY_CUMULATIVE";

  /** {@code histogram}: the duration histogram. */
  public static class Histogram {
    /** ms or s: the unit of the duration metric and its buckets. */
    public String unit = "ms";
    public Explicit explicit = new Explicit();
  }

  /** {@code histogram::explicit}: bucket upper bounds as durations. */
  public static class Explicit {
    public List<Duration> buckets = new ArrayList<>(List.of(
        Duration.ofMillis(2), Duration.ofMillis(4), Duration.ofMillis(6), Duration.ofMillis(8),
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
        Duration.ofSeconds(1), Duration.ofMillis(1400), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15)));
  }

  /** One entry of {@code dimensions}. */
  public static class Dimension {
    public String name = "";
    /** Used when the attribute is missing; without it the dimension is left off. */
    @com.fasterxml.jackson.annotation.JsonProperty("default")
    public String defaultValue;
  }

  /** {@code exemplars}: trace and span IDs attached to the points. */
  public static class Exemplars {
    // On by default, unlike the collector: linking a latency bucket to a trace is the point.
    public boolean enabled = true;
    public int maxPerDataPoint = 5;
  }
}
