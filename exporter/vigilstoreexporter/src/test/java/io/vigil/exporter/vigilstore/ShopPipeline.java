package io.vigil.exporter.vigilstore;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.pdata.AnomalyRecord;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway pipeline built from its YAML (OTLP gRPC in, {@code logtemplate}, {@code vigilstore}
 * with its console, and the {@code incidents} exporter fed by logtemplate's anomaly detection,
 * whose API the console reads) and a shop's three services sending to it through the OpenTelemetry SDK:
 * {@link #REQUESTS} checkout requests over the last 30 minutes, storefront → orders → payments,
 * with logs inside the spans. Every 10th request (i % 10 == 7) fails in payments; request
 * {@link #SLOW} takes 900 ms.
 */
final class ShopPipeline implements AutoCloseable {

  static final int REQUESTS = 60;
  static final int SLOW = 41;
  static final Duration METRIC_STEP = Duration.ofSeconds(10);
  static final int METRIC_STEPS = 180;
  /** The first of three steps at which storefront's heap jumps. */
  static final int HEAP_SPIKE = 150;
  private Instant trafficStart;

  final String console;
  /** The incidents exporter's API, which the console's incidents view reads. */
  final String incidents;
  private final PipelineGraph graph;
  private final List<SdkTracerProvider> tracers = new ArrayList<>();
  private final List<SdkLoggerProvider> loggers = new ArrayList<>();
  private final String otlp;
  private final String otlpHttp;
  /** Where {@link #recordPastIncident} sends an anomaly record, past the logtemplate detector. */
  private final String replay;

  ShopPipeline(Path directory) {
    otlp = FreePort.endpoint();
    otlpHttp = FreePort.endpoint();
    replay = FreePort.endpoint();
    console = FreePort.endpoint();
    incidents = FreePort.endpoint();
    // The logs reach the store as they are; a second logs pipeline runs logtemplate's anomaly
    // detection for the incidents exporter only, so the store's log views hold the shop's
    // records and nothing else.
    String yaml = String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + otlp + "'}, http: {endpoint: '" + otlpHttp
            + "'}}}",
        "  otlp/replay: {protocols: {grpc: {endpoint: '" + replay + "'}}}",
        "processors:",
        "  logtemplate: {}",
        "  logtemplate/anomalies: {anomalies: {enabled: true, learning_period: 20s, learning_records: 0,"
        + " window: 10s}}",
        "connectors:",
        "  anomaly: {detector: {neighbours: {warmup_points: 60}}}",
        "exporters:",
        "  vigilstore:",
        "    directory: '" + directory.resolve("store") + "'",
        "    console: {endpoint: '" + console + "', incidents_api: 'http://" + incidents + "'}",
        "  incidents:",
        "    directory: '" + directory.resolve("incidents") + "'",
        "    recommender: same_origin",
        "    api: {endpoint: '" + incidents + "'}",
        // A response rule in dry run: the incident page's "actions taken" has an entry to show,
        // and nothing is called.
        "    response:",
        "      dry_run: true",
        "      rules:",
        "        - {name: page-payments, match: {service: payments, kinds: [new_template]},",
        "           action: {url: 'http://127.0.0.1:9/hooks/page'}}",
        "service:",
        "  pipelines:",
        // The incidents exporter reads the spans to name the origin from the erroring spans.
        "    traces: {receivers: [otlp], exporters: [vigilstore, incidents]}",
        "    logs: {receivers: [otlp], processors: [logtemplate], exporters: [vigilstore]}",
        "    logs/incidents: {receivers: [otlp], processors: [logtemplate/anomalies],"
            + " exporters: [incidents]}",
        "    logs/replay: {receivers: [otlp/replay], exporters: [incidents]}",
        "    metrics: {receivers: [otlp], exporters: [vigilstore, anomaly]}",
        "    metrics/anomaly_scores: {receivers: [anomaly], exporters: [vigilstore]}");
    graph = PipelineGraph.build(new ConfigLoader(ComponentRegistry.load()).load(yaml),
        new GatewayTelemetry());
    graph.start();
  }

  /** Half an hour back from the first call: where requests and metric points start. */
  private Instant trafficStart() {
    if (trafficStart == null) {
      trafficStart = Instant.now().minus(Duration.ofMinutes(30));
    }
    return trafficStart;
  }

  static boolean failing(int i) {
    return i % 10 == 7;
  }

  /**
   * Sends one metric anomaly on payments from two hours ago, in the attributes the anomaly
   * connector gives its records, straight to the incidents exporter: an incident older than the
   * shop's traffic, for the incidents view to list and to offer as a similar incident.
   */
  void recordPastIncident() {
    Instant at = Instant.now().minus(Duration.ofHours(2));
    long end = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    SdkLoggerProvider p = SdkLoggerProvider.builder().setResource(resource("payments"))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(
            OtlpGrpcLogRecordExporter.builder().setEndpoint("http://" + replay).build()).build())
        .build();
    loggers.add(p);
    p.get("io.vigil.anomaly").logRecordBuilder().setTimestamp(at)
        .setSeverity(Severity.WARN).setSeverityText("WARN")
        .setBody("payments: http.server.request.duration{http.route=/payments} is anomalous"
            + " (score 0.970, value 2.31)")
        .setAttribute(AttributeKey.stringKey(AnomalyRecord.KIND), "metric_anomaly")
        .setAttribute(AttributeKey.stringKey(AnomalyRecord.SOURCE), AnomalyRecord.SOURCE_METRICS)
        .setAttribute(AttributeKey.stringKey("service.name"), "payments")
        .setAttribute(AttributeKey.stringKey(AnomalyRecord.SERIES),
            "http.server.request.duration{http.route=/payments}")
        .setAttribute(AttributeKey.doubleKey(AnomalyRecord.SCORE), 0.97)
        .setAttribute(AttributeKey.longKey(AnomalyRecord.WINDOW_START), end - 60_000_000_000L)
        .setAttribute(AttributeKey.longKey(AnomalyRecord.WINDOW_END), end)
        .emit();
    p.forceFlush().join(30, TimeUnit.SECONDS);
  }

  /**
   * Sends storefront's heap and non-heap memory, one point each per {@link #METRIC_STEP} over
   * the traffic's 30 minutes, as an agent would over OTLP/HTTP (one request per step, in time
   * order, as the anomaly connector reads them): flat with a little wave, and the heap jumps
   * to 400 MB for three steps from {@link #HEAP_SPIKE}.
   */
  void sendMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant start = trafficStart();
    for (int k = 0; k < METRIC_STEPS; k++) {
      long t = TimeUnit.SECONDS.toNanos(start.getEpochSecond() + METRIC_STEP.toSeconds() * k)
          + start.getNano();
      double heap = k >= HEAP_SPIKE && k < HEAP_SPIKE + 3 ? 400e6 : 120e6 + 4e6 * Math.sin(k / 3.0);
      double nonHeap = 60e6 + 1e6 * Math.cos(k / 5.0);
      Metric memory = Metric.newBuilder().setName("jvm.memory.used").setUnit("By")
          .setGauge(Gauge.newBuilder()
              .addDataPoints(point(t, heap, "heap"))
              .addDataPoints(point(t, nonHeap, "non_heap"))).build();
      ExportMetricsServiceRequest r = ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder()
              .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                  .addAttributes(KeyValue.newBuilder().setKey("service.name")
                      .setValue(AnyValue.newBuilder().setStringValue("storefront"))))
              .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(memory))).build();
      HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(
              URI.create("http://" + otlpHttp + "/v1/metrics"))
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(r.toByteArray())).build(),
          HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("OTLP/HTTP answered " + answer.statusCode());
      }
    }
  }

  private static NumberDataPoint point(long t, double value, String type) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(value)
        .addAttributes(KeyValue.newBuilder().setKey("jvm.memory.type")
            .setValue(AnyValue.newBuilder().setStringValue(type))).build();
  }

  /** Sends the traffic and waits until the SDKs exported it. */
  void sendTraffic() {
    Tracer storefront = tracer("storefront");
    Tracer orders = tracer("orders");
    Tracer payments = tracer("payments");
    Logger storefrontLog = logger("storefront");
    Logger ordersLog = logger("orders");
    Logger paymentsLog = logger("payments");
    Instant start = trafficStart();
    for (int i = 0; i < REQUESTS; i++) {
      Instant t = start.plusSeconds(30L * i);
      long ms = i == SLOW ? 900 : 20 + 15 * (i % 7);
      int order = 5000 + i;
      Span root = storefront.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(t).setAttribute("http.request.method", "GET")
          .setAttribute("http.route", "/checkout").startSpan();
      Context rootCtx = Context.root().with(root);
      Span call = storefront.spanBuilder("POST").setSpanKind(SpanKind.CLIENT).setParent(rootCtx)
          .setStartTimestamp(t.plusMillis(2)).startSpan();
      Span placed = orders.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER)
          .setParent(rootCtx.with(call)).setStartTimestamp(t.plusMillis(3)).startSpan();
      Context ordersCtx = Context.root().with(placed);
      ordersLog.logRecordBuilder().setContext(ordersCtx).setTimestamp(t.plusMillis(4))
          .setSeverity(Severity.INFO).setSeverityText("INFO")
          .setBody("Order " + order + " placed for user u" + (i % 13)).emit();
      Span charge = payments.spanBuilder("POST /payments").setSpanKind(SpanKind.SERVER)
          .setParent(ordersCtx).setStartTimestamp(t.plusMillis(5)).startSpan();
      Context paymentsCtx = Context.root().with(charge);
      paymentsLog.logRecordBuilder().setContext(paymentsCtx).setTimestamp(t.plusMillis(6))
          .setSeverity(Severity.INFO).setSeverityText("INFO")
          .setBody("Charging card for order " + order).emit();
      if (failing(i)) {
        charge.setStatus(StatusCode.ERROR, "card declined");
        charge.recordException(new IllegalStateException("card expired"));
        paymentsLog.logRecordBuilder().setContext(paymentsCtx).setTimestamp(t.plusMillis(7))
            .setSeverity(Severity.ERROR).setSeverityText("ERROR")
            .setBody("Payment declined for order " + order + ": card expired").emit();
      }
      charge.end(t.plusMillis(5 + ms / 2));
      placed.end(t.plusMillis(3 + ms * 3 / 4));
      call.end(t.plusMillis(2 + ms * 3 / 4 + 1));
      storefrontLog.logRecordBuilder().setContext(rootCtx).setTimestamp(t.plusMillis(ms))
          .setSeverity(Severity.INFO).setSeverityText("INFO")
          .setBody("GET /checkout answered 200 in " + ms + " ms").emit();
      root.end(t.plusMillis(ms));
    }
    List<CompletableResultCode> flushes = new ArrayList<>();
    tracers.forEach(p -> flushes.add(p.forceFlush()));
    loggers.forEach(p -> flushes.add(p.forceFlush()));
    CompletableResultCode.ofAll(flushes).join(30, TimeUnit.SECONDS);
  }

  private Tracer tracer(String service) {
    SdkTracerProvider p = SdkTracerProvider.builder().setResource(resource(service))
        .addSpanProcessor(BatchSpanProcessor.builder(
            OtlpGrpcSpanExporter.builder().setEndpoint("http://" + otlp).build()).build())
        .build();
    tracers.add(p);
    return p.get("shop");
  }

  private Logger logger(String service) {
    SdkLoggerProvider p = SdkLoggerProvider.builder().setResource(resource(service))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(
            OtlpGrpcLogRecordExporter.builder().setEndpoint("http://" + otlp).build()).build())
        .build();
    loggers.add(p);
    return p.get("com.example.shop");
  }

  private static Resource resource(String service) {
    return Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), service,
        AttributeKey.stringKey("service.version"), "1.4.2")));
  }

  @Override
  public void close() {
    tracers.forEach(SdkTracerProvider::close);
    loggers.forEach(SdkLoggerProvider::close);
    graph.shutdown(Duration.ofSeconds(10));
  }
}
