package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.EncodedConsumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the consumer after the receiver takes bytes (durable queues only, no processor), the
 * receiver checks and counts a request without decoding it and hands over the client's bytes;
 * whatever it cannot hand over that way (bad items, a consumer that wants messages) is decoded
 * as before, and the answers to the client are the same either way.
 */
class EncodedHandOffTest {

  /** Records what it is given, and how: bytes or messages. */
  static final class BothWays implements Consumer<ExportTraceServiceRequest>, EncodedConsumer {
    volatile boolean takesBytes = true;
    volatile ConsumeException refusal;
    final List<byte[]> encoded = new CopyOnWriteArrayList<>();
    final List<Integer> items = new CopyOnWriteArrayList<>();
    final List<ExportTraceServiceRequest> decoded = new CopyOnWriteArrayList<>();

    @Override
    public boolean takesEncoded() {
      return takesBytes;
    }

    @Override
    public CompletableFuture<Void> consumeEncoded(byte[] request, int n) {
      if (refusal != null) {
        return CompletableFuture.failedFuture(refusal);
      }
      encoded.add(request);
      items.add(n);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> consume(ExportTraceServiceRequest batch) {
      decoded.add(batch);
      return CompletableFuture.completedFuture(null);
    }

    List<Span> spans() throws Exception {
      List<Span> out = new java.util.ArrayList<>();
      for (byte[] b : encoded) {
        collect(ExportTraceServiceRequest.parseFrom(b), out);
      }
      decoded.forEach(r -> collect(r, out));
      return out;
    }

    private static void collect(ExportTraceServiceRequest r, List<Span> out) {
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
          .forEach(ss -> out.addAll(ss.getSpansList())));
    }
  }

  private final BothWays consumer = new BothWays();
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private OtlpReceiver receiver;
  private ManagedChannel channel;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    OtlpReceiverConfig c = new OtlpReceiverConfig();
    c.protocols.grpc = new OtlpReceiverConfig.GrpcSettings();
    c.protocols.grpc.endpoint = "127.0.0.1:0";
    c.protocols.http = new OtlpReceiverConfig.HttpSettings();
    c.protocols.http.endpoint = "127.0.0.1:0";
    receiver = new OtlpReceiver(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("otlp"), telemetry), c,
        SignalConsumers.builder().put(Signal.TRACES, consumer).build());
    receiver.start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", receiver.grpcPort()).usePlaintext()
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  private double accepted() {
    return Metrics.value(telemetry, "otelcol_receiver_accepted_spans");
  }

  private void emit(SpanExporter exporter, int n) {
    try (SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            "orders")))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      for (int i = 0; i < n; i++) {
        p.get("orders").spanBuilder("reserve " + i).setAttribute("qty", (long) i).startSpan()
            .end();
      }
      assertThat(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }

  @Test
  void sdkSpansOverGrpcAndHttpArriveAsTheClientsBytesUndecoded() throws Exception {
    emit(OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + receiver.grpcPort()).build(), 5);
    emit(OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces")
        .setCompression("gzip").build(), 4);

    await().atMost(Duration.ofSeconds(10)).until(() -> consumer.spans().size() == 9);
    assertThat(consumer.decoded).as("nothing was decoded for the consumer").isEmpty();
    assertThat(consumer.items).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(consumer.spans()).extracting(Span::getName).containsExactlyInAnyOrder(
        "reserve 0", "reserve 1", "reserve 2", "reserve 3", "reserve 4",
        "reserve 0", "reserve 1", "reserve 2", "reserve 3");
    assertThat(accepted()).isEqualTo(9);
  }

  private static ExportTraceServiceRequest request(ByteString spanId) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setName("ok")
                .setTraceId(ByteString.fromHex("0af7651916cd43dd8448eb211c80319c"))
                .setSpanId(ByteString.fromHex("b7ad6b7169203331")))
            .addSpans(Span.newBuilder().setName("bad")
                .setTraceId(ByteString.fromHex("0af7651916cd43dd8448eb211c80319c"))
                .setSpanId(spanId)))).build();
  }

  @Test
  void aRequestWithAnItemToRemoveIsDecodedAndAnsweredWithPartialSuccess() {
    ExportTraceServiceResponse r = TraceServiceGrpc.newBlockingStub(channel)
        .export(request(ByteString.fromHex("b7ad")));
    assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(consumer.encoded).isEmpty();
    assertThat(consumer.decoded).singleElement().satisfies(d -> assertThat(
        d.getResourceSpans(0).getScopeSpans(0).getSpansList()).extracting(Span::getName)
        .containsExactly("ok"));
  }

  @Test
  void bytesThatAreNotARequestAreRefusedAsDecodingWouldAndNothingIsHandedOver()
      throws Exception {
    byte[] garbage = HexFormat.of().parseHex("0a05120312ff"); // a length past the end
    HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + receiver.httpPort() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(garbage)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(h.statusCode()).isEqualTo(400);
    assertThat(h.body()).contains("not a valid OTLP traces protobuf");
    assertThat(consumer.encoded).isEmpty();
    assertThat(consumer.decoded).isEmpty();
  }

  @Test
  void aRefusalOfTheBytesReachesTheClientAndIsCounted() {
    consumer.refusal = ConsumeException.retryable("queue full");
    assertThatThrownBy(() -> TraceServiceGrpc.newBlockingStub(channel)
        .export(request(ByteString.fromHex("b7ad6b7169203332"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
            e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(Metrics.value(telemetry, "otelcol_receiver_refused_spans")).isEqualTo(2);
    assertThat(accepted()).isZero();
  }

  @Test
  void aConsumerThatCannotTakeBytesNowGetsTheDecodedRequest() {
    consumer.takesBytes = false;
    ExportTraceServiceRequest sent = request(ByteString.fromHex("b7ad6b7169203332"));
    TraceServiceGrpc.newBlockingStub(channel).export(sent);
    assertThat(consumer.encoded).isEmpty();
    assertThat(consumer.decoded).containsExactly(sent);
    assertThat(accepted()).isEqualTo(2);
  }
}
