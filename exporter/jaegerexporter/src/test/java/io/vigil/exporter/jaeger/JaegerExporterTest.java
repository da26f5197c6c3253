package io.vigil.exporter.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.SdkRecorders.RecordingSpanExporter;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JaegerExporterTest {

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static AnyValue s(String v) {
    return AnyValue.newBuilder().setStringValue(v).build();
  }

  @Test
  void everyFieldJaegerShowsIsTranslated() {
    byte[] trace = new byte[16];
    trace[15] = 1;
    byte[] other = new byte[16];
    other[0] = 9;
    Span span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 2}))
        .setParentSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
        .setName("GET /orders/{id}")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_123_456_789L)
        .setEndTimeUnixNano(1_700_000_000_623_456_789L)
        .setTraceState("vendor=x")
        .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(503).build()))
        .addAttributes(kv("retry", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))
        .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(s("a")).addValues(AnyValue.newBuilder().setIntValue(2))).build()))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1_700_000_000_200_000_000L)
            .addAttributes(kv("exception.message", s("db timeout"))))
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(other))
            .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 7})))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("upstream unavailable"))
        .build();
    Resource resource = Resource.newBuilder().addAttributes(kv("service.name", s("orders")))
        .addAttributes(kv("k8s.pod.name", s("orders-1"))).build();
    InstrumentationScope scope = InstrumentationScope.newBuilder()
        .setName("io.opentelemetry.java-http-server").setVersion("2.31.1").build();

    JaegerSpanView v = JaegerSpanView.of(span, resource, scope);

    assertThat(v.serviceName).isEqualTo("orders");
    assertThat(v.processTags).containsExactly(Map.entry("k8s.pod.name", "orders-1"));
    assertThat(v.operationName).isEqualTo("GET /orders/{id}");
    assertThat(v.traceId).isEqualTo("00000000000000000000000000000001");
    assertThat(v.spanId).isEqualTo("0000000000000002");
    assertThat(v.startTimeMicros).isEqualTo(1_700_000_000_123_456L);
    assertThat(v.durationMicros).isEqualTo(500_000L);
    assertThat(v.references).containsExactly(
        new JaegerSpanView.Reference("CHILD_OF", v.traceId, "0000000000000001"),
        new JaegerSpanView.Reference("FOLLOWS_FROM", "09000000000000000000000000000000",
            "0000000000000007"));
    assertThat(v.tags).containsEntry("otel.scope.name", "io.opentelemetry.java-http-server")
        .containsEntry("otel.scope.version", "2.31.1")
        .containsEntry("http.response.status_code", 503L)
        .containsEntry("retry", true)
        .containsEntry("ratio", 0.25)
        .containsEntry("tags", "[\"a\",2]")
        .containsEntry("span.kind", "server")
        .containsEntry("otel.status_code", "ERROR")
        .containsEntry("error", true)
        .containsEntry("otel.status_description", "upstream unavailable")
        .containsEntry("w3c.tracestate", "vendor=x");
    assertThat(v.logs).containsExactly(new JaegerSpanView.Log(1_700_000_000_200_000L,
        Map.of("event", "exception", "exception.message", "db timeout")));
  }

  @Test
  void kindsAndMissingServiceNameAsJaegerShowsThem() {
    assertThat(JaegerSpanView.kind(Span.SpanKind.SPAN_KIND_CLIENT)).isEqualTo("client");
    assertThat(JaegerSpanView.kind(Span.SpanKind.SPAN_KIND_PRODUCER)).isEqualTo("producer");
    assertThat(JaegerSpanView.kind(Span.SpanKind.SPAN_KIND_CONSUMER)).isEqualTo("consumer");
    assertThat(JaegerSpanView.kind(Span.SpanKind.SPAN_KIND_INTERNAL)).isEqualTo("internal");
    assertThat(JaegerSpanView.kind(Span.SpanKind.SPAN_KIND_UNSPECIFIED)).isNull();
    JaegerSpanView v = JaegerSpanView.of(Span.newBuilder().setName("x").build(),
        Resource.getDefaultInstance(), InstrumentationScope.getDefaultInstance());
    assertThat(v.serviceName).isEqualTo(JaegerSpanView.NO_SERVICE_NAME);
    assertThat(v.tags).doesNotContainKeys("span.kind", "error", "otel.status_code");
    assertThat(v.references).isEmpty();
  }

  @Test
  void traceLinksPointAtTheJaegerUi() {
    assertThat(JaegerLinks.traceUrl("http://jaeger:16686/", "5B8EFFF798038103D269B633813FC60C"))
        .isEqualTo("http://jaeger:16686/trace/5b8efff798038103d269b633813fc60c");
    assertThatThrownBy(() -> JaegerLinks.traceUrl("http://j", "abc"))
        .hasMessageContaining("not a trace ID");
    assertThatThrownBy(() -> JaegerLinks.traceUrl("http://j", "0".repeat(32)))
        .hasMessageContaining("not all zero");
  }

  @Test
  void defaultsAreJaegersAndUiUrlIsChecked() {
    JaegerExporterConfig c = new JaegerExporterFactory().createDefaultConfig();
    assertThat(c.endpoint).isEqualTo("jaeger-collector:4317");
    assertThat(c.tls.insecure).isTrue();
    assertThat(new JaegerExporterFactory().signals()).containsExactly(Signal.TRACES);
    c.uiUrl = "jaeger:16686";
    assertThatThrownBy(() -> new JaegerExporterFactory().validate(c))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("ui_url:");
  }

  @Test
  void sdkSpansSentWithTheJaegerPresetArriveIntact() throws Exception {
    List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    Server otlpEndpoint = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest r, StreamObserver<ExportTraceServiceResponse> o) {
            received.add(r);
            o.onNext(ExportTraceServiceResponse.getDefaultInstance());
            o.onCompleted();
          }
        }).build().start();
    JaegerExporterConfig c = new JaegerExporterFactory().createDefaultConfig();
    c.endpoint = "127.0.0.1:" + otlpEndpoint.getPort();
    new JaegerExporterFactory().validate(c);
    Exporter exporter = new JaegerExporterFactory().create(new ComponentSettings(
        ComponentKind.EXPORTER, ComponentId.of("jaeger"), new GatewayTelemetry()), c,
        Set.of(Signal.TRACES));
    exporter.start();
    try {
      RecordingSpanExporter sdkSide = new RecordingSpanExporter(SpanExporter.composite());
      try (SdkTracerProvider p = SdkTracerProvider.builder()
          .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(sdkSide))
          .build()) {
        var span = p.get("shop").spanBuilder("checkout").setSpanKind(SpanKind.PRODUCER)
            .setAttribute("cart.items", 3L).startSpan();
        span.addEvent("queued", Attributes.of(AttributeKey.stringKey("queue"), "orders"));
        span.setStatus(StatusCode.ERROR, "broker down");
        span.end();
      }
      List<SpanData> sent = sdkSide.sent;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      TraceRequestMarshaler.create(sent).writeBinaryTo(bytes);
      ExportTraceServiceRequest expected = ExportTraceServiceRequest.parseFrom(bytes.toByteArray());
      exporter.consumer(Signal.TRACES).consume(expected).get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
      assertThat(received.get(0)).isEqualTo(expected);
    } finally {
      exporter.shutdown(Instant.now().plusSeconds(1));
      otlpEndpoint.shutdownNow();
    }
  }
}
