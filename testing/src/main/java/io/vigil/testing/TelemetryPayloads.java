package io.vigil.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * OTLP requests shaped like what the OpenTelemetry Java agent sends for the OpenTelemetry demo's
 * services: a Kubernetes resource of 18 attributes, HTTP server/client and JDBC spans with 8-11
 * attributes, log records with a sentence body and trace context, and HTTP/JVM metrics. A span
 * encodes to about 400 bytes, a log record to about 250. Seeded, so every run sends the same bytes.
 */
public final class TelemetryPayloads {

  /** The first item of each request carries this name (span) or body (log) and its send time. */
  public static final String PROBE = "bench-probe";

  private static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/products/{id}",
      "/api/recommendations", "/api/currency/convert", "/api/shipping/quote"};
  private static final String[] SERVICES = {"frontend", "cartservice", "checkoutservice",
      "productcatalogservice", "recommendationservice", "shippingservice"};

  private final Random random;

  public TelemetryPayloads(long seed) {
    this.random = new Random(seed);
  }

  public static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  private ByteString id(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private String hex(int chars) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chars; i++) {
      sb.append(Character.forDigit(random.nextInt(16), 16));
    }
    return sb.toString();
  }

  Resource resource() {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    String pod = service + "-" + hex(10) + "-" + hex(5);
    return Resource.newBuilder()
        .addAttributes(kv("service.name", service))
        .addAttributes(kv("service.namespace", "opentelemetry-demo"))
        .addAttributes(kv("service.version", "2.0.2"))
        .addAttributes(kv("service.instance.id", hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12)))
        .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(kv("telemetry.sdk.language", "java"))
        .addAttributes(kv("telemetry.sdk.version", "1.68.0"))
        .addAttributes(kv("telemetry.distro.name", "opentelemetry-java-instrumentation"))
        .addAttributes(kv("host.name", pod))
        .addAttributes(kv("host.arch", "amd64"))
        .addAttributes(kv("os.type", "linux"))
        .addAttributes(kv("process.pid", 1 + random.nextInt(30000)))
        .addAttributes(kv("process.runtime.name", "OpenJDK Runtime Environment"))
        .addAttributes(kv("container.id", hex(64)))
        .addAttributes(kv("k8s.namespace.name", "otel-demo"))
        .addAttributes(kv("k8s.pod.name", pod))
        .addAttributes(kv("k8s.node.name", "gke-demo-pool-" + hex(8)))
        .addAttributes(kv("k8s.deployment.name", service))
        .build();
  }

  private Span span(long now, ByteString traceId, ByteString parent, int kind) {
    String route = ROUTES[random.nextInt(ROUTES.length)];
    long duration = 200_000 + random.nextInt(50_000_000);
    Span.Builder s = Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(id(8))
        .setStartTimeUnixNano(now - duration)
        .setEndTimeUnixNano(now)
        .setFlags(0x301);
    if (!parent.isEmpty()) {
      s.setParentSpanId(parent);
    }
    int status = random.nextInt(100) < 3 ? 500 : 200;
    if (kind == 2) {
      s.setName("SELECT orders").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .addAttributes(kv("db.system.name", "postgresql"))
          .addAttributes(kv("db.namespace", "orders"))
          .addAttributes(kv("db.operation.name", "SELECT"))
          .addAttributes(kv("db.collection.name", "orders"))
          .addAttributes(kv("db.query.text",
              "select o.id, o.status, o.total from orders o where o.user_id = ? and o.created_at > ?"))
          .addAttributes(kv("server.address", "postgres.otel-demo.svc.cluster.local"))
          .addAttributes(kv("server.port", 5432))
          .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)));
    } else {
      boolean server = kind == 0;
      s.setName((server ? "GET " : "POST ") + route)
          .setKind(server ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
          .addAttributes(kv("http.request.method", server ? "GET" : "POST"))
          .addAttributes(kv("http.route", route))
          .addAttributes(kv("url.path", route.replace("{id}", String.valueOf(random.nextInt(10000)))))
          .addAttributes(kv("url.scheme", "http"))
          .addAttributes(kv("http.response.status_code", status))
          .addAttributes(kv("network.protocol.version", "1.1"))
          .addAttributes(kv("server.address", SERVICES[random.nextInt(SERVICES.length)]))
          .addAttributes(kv("server.port", 8080))
          .addAttributes(kv("client.address", "10.4." + random.nextInt(256) + "." + random.nextInt(256)))
          .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"))
          .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)));
      if (status >= 500) {
        s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        s.addAttributes(kv("error.type", "500"));
      }
    }
    return s.build();
  }

  /** One request of {@code spans} spans from one service: traces of server, client and DB spans. */
  public ExportTraceServiceRequest traces(int spans, long nowNanos) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
        .setName("io.opentelemetry.tomcat-10.0").setVersion("2.31.1-alpha"));
    ByteString trace = id(16);
    ByteString root = ByteString.EMPTY;
    for (int i = 0; i < spans; i++) {
      if (i % 4 == 0) {
        trace = id(16);
        root = ByteString.EMPTY;
      }
      Span s = span(nowNanos, trace, root, i % 4 == 0 ? 0 : (i % 4 == 3 ? 2 : 1));
      if (i % 4 == 0) {
        root = s.getSpanId();
      }
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(
        ResourceSpans.newBuilder().setResource(resource()).addScopeSpans(scope)
            .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")).build();
  }

  private static final String[] MESSAGES = {
      "Order %d placed for user %s with %d items, total %d.%02d USD",
      "Cache miss for product %d, loading from catalog (user %s, attempt %d, %d.%02d ms)",
      "Payment authorised for order %d by provider stripe (user %s, %d items, %d.%02d USD)",
      "Shipping quote computed for order %d to zip %s: %d parcels, %d.%02d USD"};

  /** One request of {@code records} log records from one service, each inside a trace. */
  public ExportLogsServiceRequest logs(int records, long nowNanos) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(
        InstrumentationScope.newBuilder().setName("com.example.shop.OrderService"));
    for (int i = 0; i < records; i++) {
      boolean warn = random.nextInt(100) < 5;
      String body = String.format(MESSAGES[random.nextInt(MESSAGES.length)], random.nextInt(1_000_000),
          hex(8), 1 + random.nextInt(9), random.nextInt(500), random.nextInt(100));
      scope.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(nowNanos)
          .setObservedTimeUnixNano(nowNanos)
          .setSeverityNumber(warn ? SeverityNumber.SEVERITY_NUMBER_WARN : SeverityNumber.SEVERITY_NUMBER_INFO)
          .setSeverityText(warn ? "WARN" : "INFO")
          .setBody(AnyValue.newBuilder().setStringValue(body))
          .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)))
          .addAttributes(kv("thread.id", 30 + random.nextInt(200)))
          .addAttributes(kv("code.namespace", "com.example.shop.OrderService"))
          .setTraceId(id(16))
          .setSpanId(id(8))
          .setFlags(1));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(
        ResourceLogs.newBuilder().setResource(resource()).addScopeLogs(scope)).build();
  }

  private static final double[] BOUNDS = {0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
      0.75, 1, 2.5, 5, 7.5, 10};

  /**
   * One request with {@code points} data points from one service: HTTP duration histograms per
   * route and status, request counters and JVM memory gauges, as the agent exports them.
   */
  public ExportMetricsServiceRequest metrics(int points, long nowNanos) {
    long start = nowNanos - 3_600_000_000_000L;
    Histogram.Builder hist = Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      List<KeyValue> attrs = new ArrayList<>(List.of(
          kv("http.request.method", i % 2 == 0 ? "GET" : "POST"),
          kv("http.route", ROUTES[i % ROUTES.length]),
          kv("http.response.status_code", i % 7 == 0 ? 500 : 200),
          kv("url.scheme", "http"),
          kv("network.protocol.version", "1.1")));
      switch (i % 3) {
        case 0 -> {
          HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder()
              .setStartTimeUnixNano(start).setTimeUnixNano(nowNanos).addAllAttributes(attrs);
          long count = 0;
          double total = 0;
          for (int b = 0; b <= BOUNDS.length; b++) {
            long c = random.nextInt(1000);
            p.addBucketCounts(c);
            count += c;
            total += c * (b < BOUNDS.length ? BOUNDS[b] : 12);
          }
          p.addAllExplicitBounds(java.util.Arrays.stream(BOUNDS).boxed().toList());
          hist.addDataPoints(p.setCount(count).setSum(total).setMin(0.001).setMax(11.2));
        }
        case 1 -> sum.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(start)
            .setTimeUnixNano(nowNanos).addAllAttributes(attrs).setAsInt(random.nextInt(1_000_000)));
        default -> gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nowNanos)
            .addAttributes(kv("jvm.memory.type", "heap"))
            .addAttributes(kv("jvm.memory.pool.name", "G1 Eden Space " + i))
            .setAsInt(random.nextInt(500_000_000)));
      }
    }
    ScopeMetrics scope = ScopeMetrics.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0"))
        .addMetrics(Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
            .setDescription("Duration of HTTP server requests.").setHistogram(hist))
        .addMetrics(Metric.newBuilder().setName("http.server.requests").setUnit("{request}")
            .setSum(sum))
        .addMetrics(Metric.newBuilder().setName("jvm.memory.used").setUnit("By").setGauge(gauge))
        .build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
        ResourceMetrics.newBuilder().setResource(resource()).addScopeMetrics(scope)).build();
  }
}
