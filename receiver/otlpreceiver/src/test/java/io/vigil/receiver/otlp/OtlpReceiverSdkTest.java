package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
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
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
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
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry SDK exporters as clients: what the receiver hands the pipeline equals
 * what the SDK's own marshalers encode from the same data; the SDK's independent OTLP/JSON
 * encoding decodes to the same message as its protobuf encoding.
 */
class OtlpReceiverSdkTest {

  private final ReceiverHarness h = new ReceiverHarness(8 << 20, 8);
  private final List<AutoCloseable> sdk = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : sdk) {
      c.close();
    }
    h.close();
  }

  private static byte[] binary(Marshaler m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeBinaryTo(out);
    return out.toByteArray();
  }

  private static byte[] json(Marshaler m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeJsonTo(out);
    return out.toByteArray();
  }

  private static Resource resource() {
    return Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "inventory"));
  }

  private List<SpanData> emitSpans(SpanExporter exporter) {
    RecordingSpanExporter keep = new RecordingSpanExporter(exporter);
    SdkTracerProvider p = SdkTracerProvider.builder().setResource(resource())
        .addSpanProcessor(BatchSpanProcessor.builder(keep).build()).build();
    sdk.add(p);
    for (int i = 0; i < 12; i++) {
      var span = p.get("inventory.db", "2.0").spanBuilder("reserve").setSpanKind(SpanKind.CLIENT)
          .setAttribute("sku", "sku-" + i).setAttribute("qty", (long) i).startSpan();
      span.addEvent("locked");
      if (i == 3) {
        span.setStatus(StatusCode.ERROR, "out of stock");
      }
      span.end();
    }
    assertThat(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    return keep.sent;
  }

  @Test
  void sdkGrpcAndHttpSpansArriveExactly() throws Exception {
    List<SpanData> viaGrpc =
        emitSpans(OtlpGrpcSpanExporter.builder().setEndpoint(h.grpcEndpoint()).build());
    List<SpanData> viaHttp = emitSpans(OtlpHttpSpanExporter.builder()
        .setEndpoint(h.httpUrl("/v1/traces")).setCompression("gzip").build());
    List<SpanData> all = new ArrayList<>(viaGrpc);
    all.addAll(viaHttp);

    ExportTraceServiceRequest expected =
        ExportTraceServiceRequest.parseFrom(binary(TraceRequestMarshaler.create(all)));
    await().atMost(Duration.ofSeconds(10)).until(() -> spanCount(h.traces.batches()) == 24);
    assertThat(spans(h.traces.batches())).containsExactlyInAnyOrderElementsOf(spans(List.of(expected)));
    assertThat(h.traces.batches().get(0).getResourceSpans(0).getResource())
        .isEqualTo(expected.getResourceSpans(0).getResource());
    assertThat(h.traces.batches().get(0).getResourceSpans(0).getScopeSpans(0).getScope().getVersion())
        .isEqualTo("2.0");
  }

  private static int spanCount(List<ExportTraceServiceRequest> reqs) {
    return spans(reqs).size();
  }

  private static List<io.opentelemetry.proto.trace.v1.Span> spans(List<ExportTraceServiceRequest> reqs) {
    List<io.opentelemetry.proto.trace.v1.Span> out = new ArrayList<>();
    reqs.forEach(r -> r.getResourceSpansList().forEach(rs ->
        rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList()))));
    return out;
  }

  @Test
  void sdkGrpcMetricsAndLogsArriveExactly() throws Exception {
    RecordingMetricExporter metricsSent = new RecordingMetricExporter(
        OtlpGrpcMetricExporter.builder().setEndpoint(h.grpcEndpoint()).build());
    SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource())
        .registerMetricReader(PeriodicMetricReader.builder(metricsSent)
            .setInterval(Duration.ofHours(1)).build()).build();
    sdk.add(meters);
    var counter = meters.get("m").counterBuilder("reservations").build();
    var hist = meters.get("m").histogramBuilder("reserve.duration").setUnit("ms").build();
    for (int i = 0; i < 10; i++) {
      counter.add(i, Attributes.of(AttributeKey.stringKey("warehouse"), "w" + (i % 2)));
      hist.record(i * 1.5);
    }
    assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    ExportMetricsServiceRequest expectedMetrics = ExportMetricsServiceRequest.parseFrom(
        binary(MetricsRequestMarshaler.create(metricsSent.sent)));
    await().atMost(Duration.ofSeconds(10)).until(() -> h.metrics.batchCount() == 1);
    assertThat(h.metrics.batches().get(0)).isEqualTo(expectedMetrics);

    RecordingLogExporter logsSent = new RecordingLogExporter(
        OtlpGrpcLogRecordExporter.builder().setEndpoint(h.grpcEndpoint()).build());
    SdkLoggerProvider loggers = SdkLoggerProvider.builder().setResource(resource())
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(logsSent).build()).build();
    sdk.add(loggers);
    for (int i = 0; i < 7; i++) {
      loggers.get("inventory").logRecordBuilder().setSeverity(Severity.WARN).setSeverityText("WARN")
          .setBody("low stock " + i).setAttribute(AttributeKey.longKey("left"), (long) i).emit();
    }
    assertThat(loggers.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    ExportLogsServiceRequest expectedLogs = ExportLogsServiceRequest.parseFrom(
        binary(LogsRequestMarshaler.create(logsSent.sent)));
    await().atMost(Duration.ofSeconds(10)).until(() -> h.logs.batchCount() == 1);
    assertThat(h.logs.batches().get(0)).isEqualTo(expectedLogs);
  }

  @Test
  void sdkJsonEncodingDecodesToTheSameMessageAsProtobuf() throws Exception {
    List<SpanData> spans = emitSpans(SpanExporter.composite());
    Marshaler traces = TraceRequestMarshaler.create(spans);
    var resp = h.post("/v1/traces", "application/json", null, json(traces));
    assertThat(resp.statusCode()).as(new String(resp.body())).isEqualTo(200);
    assertThat(resp.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(h.traces.batches()).containsExactly(
        ExportTraceServiceRequest.parseFrom(binary(traces)));
  }
}
