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
import io.vigil.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway pipeline built from its YAML (OTLP gRPC in, {@code logtemplate}, {@code vigilstore}
 * with its console) and a shop's three services sending to it through the OpenTelemetry SDK:
 * {@link #REQUESTS} checkout requests over the last 30 minutes, storefront → orders → payments,
 * with logs inside the spans. Every 10th request (i % 10 == 7) fails in payments; request
 * {@link #SLOW} takes 900 ms.
 */
final class ShopPipeline implements AutoCloseable {

  static final int REQUESTS = 60;
  static final int SLOW = 41;

  final String console;
  private final PipelineGraph graph;
  private final List<SdkTracerProvider> tracers = new ArrayList<>();
  private final List<SdkLoggerProvider> loggers = new ArrayList<>();
  private final String otlp;

  ShopPipeline(Path directory) {
    otlp = FreePort.endpoint();
    console = FreePort.endpoint();
    String yaml = String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + otlp + "'}}}",
        "processors:",
        "  logtemplate: {}",
        "exporters:",
        "  vigilstore:",
        "    directory: '" + directory + "'",
        "    console: {endpoint: '" + console + "'}",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [vigilstore]}",
        "    logs: {receivers: [otlp], processors: [logtemplate], exporters: [vigilstore]}");
    graph = PipelineGraph.build(new ConfigLoader(ComponentRegistry.load()).load(yaml),
        new GatewayTelemetry());
    graph.start();
  }

  static boolean failing(int i) {
    return i % 10 == 7;
  }

  /** Sends the traffic and waits until the SDKs exported it. */
  void sendTraffic() {
    Tracer storefront = tracer("storefront");
    Tracer orders = tracer("orders");
    Tracer payments = tracer("payments");
    Logger storefrontLog = logger("storefront");
    Logger ordersLog = logger("orders");
    Logger paymentsLog = logger("payments");
    Instant start = Instant.now().minus(Duration.ofMinutes(30));
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
