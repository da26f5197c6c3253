package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vigil.core.Signal;
import io.vigil.testing.FreePort;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.Flatten;
import io.vigil.testing.SdkRecorders.RecordingLogExporter;
import io.vigil.testing.SdkRecorders.RecordingMetricExporter;
import io.vigil.testing.SdkRecorders.RecordingSpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real OpenTelemetry Java SDK sends to gateway A over OTLP gRPC or HTTP/protobuf; A batches
 * and forwards over OTLP gRPC to gateway B, whose pipeline ends in a capturing exporter. What B
 * received must equal, item by item and field by field, what the SDK encoded itself.
 */
class OtlpForwardingEndToEndTest {

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private String aGrpc;
  private String aHttp;

  @BeforeEach
  void startGateways() {
    CaptureExporterFactory.reset();
    String bGrpc = FreePort.endpoint();
    aGrpc = FreePort.endpoint();
    aHttp = FreePort.endpoint();
    closeables.add(Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + bGrpc + "'}}}",
        "exporters:",
        "  capture: {sink: b}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [capture]}",
        "    metrics: {receivers: [otlp], exporters: [capture]}",
        "    logs: {receivers: [otlp], exporters: [capture]}"), Duration.ofSeconds(5)));
    closeables.add(0, Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + aGrpc + "'}, http: {endpoint: '" + aHttp + "'}}}",
        "processors:",
        "  batch: {send_batch_size: 100, timeout: 50ms}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + bGrpc,
        "    tls: {insecure: true}",
        "    retry_on_failure: {initial_interval: 50ms, max_interval: 200ms}",
        "service:",
        "  telemetry: {metrics: {address: '127.0.0.1:0'}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], processors: [batch], exporters: [otlp]}",
        "    metrics: {receivers: [otlp], processors: [batch], exporters: [otlp]}",
        "    logs: {receivers: [otlp], processors: [batch], exporters: [otlp]}"),
        Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static Resource resource() {
    return Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "checkout",
        AttributeKey.stringKey("k8s.pod.name"), "checkout-7d9f")));
  }

  private static byte[] bytes(Marshaler m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeBinaryTo(out);
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void tracesArriveFieldByField(String protocol) throws Exception {
    RecordingSpanExporter exporter = new RecordingSpanExporter(protocol.equals("grpc")
        ? OtlpGrpcSpanExporter.builder().setEndpoint("http://" + aGrpc).build()
        : OtlpHttpSpanExporter.builder().setEndpoint("http://" + aHttp + "/v1/traces").build());
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource())
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(Duration.ofMillis(100)).setMaxExportBatchSize(16).build())
        .build();
    closeables.add(0, provider);
    Tracer tracer = provider.get("io.vigil.test", "1.2.3");
    for (int i = 0; i < 20; i++) {
      Span parent = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.response.status_code", 200L + i)
          .startSpan();
      try (Scope ignored = parent.makeCurrent()) {
        Span child = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT)
            .setAttribute("db.system", "h2")
            .addLink(parent.getSpanContext(), Attributes.of(AttributeKey.longKey("n"), (long) i))
            .startSpan();
        child.addEvent("rows", Attributes.of(AttributeKey.doubleKey("count"), 3.5));
        if (i % 5 == 0) {
          child.setStatus(StatusCode.ERROR, "timeout");
          child.recordException(new IllegalStateException("db timeout " + i));
        }
        child.end();
      }
      parent.end();
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<ExportTraceServiceRequest> expected = Flatten.spans(List.of(
        ExportTraceServiceRequest.parseFrom(bytes(TraceRequestMarshaler.create(exporter.sent)))));
    assertThat(expected).hasSize(40);
    var sink = CaptureExporterFactory.sink("b").get(Signal.TRACES);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(Flatten.spans(sink.batches())).hasSize(40));
    assertThat(Flatten.spans(sink.batches())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void metricsArriveFieldByField(String protocol) throws Exception {
    RecordingMetricExporter exporter = new RecordingMetricExporter(protocol.equals("grpc")
        ? OtlpGrpcMetricExporter.builder().setEndpoint("http://" + aGrpc).build()
        : OtlpHttpMetricExporter.builder().setEndpoint("http://" + aHttp + "/v1/metrics").build());
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(resource())
        .registerMetricReader(
            PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
        .build();
    closeables.add(0, provider);
    Meter meter = provider.get("io.vigil.test");
    var requests = meter.counterBuilder("http.server.requests").setUnit("{request}").build();
    var latency = meter.histogramBuilder("http.server.request.duration").setUnit("s").build();
    meter.gaugeBuilder("jvm.memory.used").setUnit("By")
        .buildWithCallback(m -> m.record(1.5e8, Attributes.of(AttributeKey.stringKey("pool"), "eden")));
    var inflight = meter.upDownCounterBuilder("http.server.active_requests").build();
    for (int i = 0; i < 30; i++) {
      Attributes route = Attributes.of(AttributeKey.stringKey("http.route"), "/r" + (i % 3));
      requests.add(1, route);
      latency.record(0.01 * i, route);
      inflight.add(i % 2 == 0 ? 1 : -1, route);
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<ExportMetricsServiceRequest> expected = Flatten.metrics(List.of(
        ExportMetricsServiceRequest.parseFrom(bytes(MetricsRequestMarshaler.create(exporter.sent)))));
    assertThat(expected).hasSize(4);
    var sink = CaptureExporterFactory.sink("b").get(Signal.METRICS);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(Flatten.metrics(sink.batches())).hasSize(4));
    assertThat(Flatten.metrics(sink.batches())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void logsArriveFieldByField(String protocol) throws Exception {
    RecordingLogExporter exporter = new RecordingLogExporter(protocol.equals("grpc")
        ? OtlpGrpcLogRecordExporter.builder().setEndpoint("http://" + aGrpc).build()
        : OtlpHttpLogRecordExporter.builder().setEndpoint("http://" + aHttp + "/v1/logs").build());
    SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(resource())
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter)
            .setScheduleDelay(Duration.ofMillis(100)).setMaxExportBatchSize(10).build())
        .build();
    closeables.add(0, provider);
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
            io.opentelemetry.sdk.trace.export.SpanExporter.composite()))
        .build();
    closeables.add(0, tracing);
    Logger logger = provider.get("io.vigil.test.OrderService");
    for (int i = 0; i < 25; i++) {
      Span span = tracing.get("t").spanBuilder("op").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        logger.logRecordBuilder()
            .setContext(io.opentelemetry.context.Context.current())
            .setSeverity(i % 4 == 0 ? Severity.ERROR : Severity.INFO)
            .setSeverityText(i % 4 == 0 ? "ERROR" : "INFO")
            .setBody("order " + i + " placed")
            .setAttribute(AttributeKey.stringKey("order.id"), "o-" + i)
            .setAttribute(AttributeKey.longKey("thread.id"), 42L)
            .emit();
      } finally {
        span.end();
      }
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<ExportLogsServiceRequest> expected = Flatten.logs(List.of(
        ExportLogsServiceRequest.parseFrom(bytes(LogsRequestMarshaler.create(exporter.sent)))));
    assertThat(expected).hasSize(25);
    assertThat(expected.get(0).getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getTraceId())
        .as("log records carry their trace context").hasSize(16);
    var sink = CaptureExporterFactory.sink("b").get(Signal.LOGS);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(Flatten.logs(sink.batches())).hasSize(25));
    assertThat(Flatten.logs(sink.batches())).containsExactlyInAnyOrderElementsOf(expected);
  }
}
