package io.vigil.connector.spanmetrics;

/** The OTLP names and attribute keys the connector emits; dashboards are checked against them. */
public final class SpanMetricNames {

  public static final String CALLS = "calls";
  public static final String DURATION = "duration";
  public static final String SERVICE_NAME = "service.name";
  public static final String SPAN_NAME = "span.name";
  public static final String SPAN_KIND = "span.kind";
  public static final String STATUS_CODE = "status.code";
  /** The instrumentation scope of the emitted metrics, as the collector names it. */
  public static final String SCOPE = "spanmetricsconnector";

  private SpanMetricNames() {}

  /** {@code <namespace>.<metric>}, or the bare metric name when the namespace is empty. */
  public static String name(String namespace, String metric) {
    return namespace == null || namespace.isEmpty() ? metric : namespace + "." + metric;
  }
}
