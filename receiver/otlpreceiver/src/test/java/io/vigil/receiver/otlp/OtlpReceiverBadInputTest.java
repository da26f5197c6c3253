package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.ConsumeException;
import io.vigil.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Malformed, oversized and unexpected input get the OTLP-specified answer; the server lives on. */
class OtlpReceiverBadInputTest {

  private static final String PROTO = "application/x-protobuf";
  private final ReceiverHarness h = new ReceiverHarness(1 << 20, 1);

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private String status(HttpResponse<byte[]> r) throws Exception {
    return com.google.rpc.Status.parseFrom(r.body()).getMessage();
  }

  private void stillServes() throws Exception {
    int before = h.traces.batchCount();
    HttpResponse<byte[]> ok = h.post("/v1/traces", PROTO, null, TestData.spans(2).toByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    TraceServiceGrpc.newBlockingStub(h.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .export(TestData.spans(1));
    assertThat(h.traces.batchCount()).isEqualTo(before + 2);
  }

  @Test
  void malformedProtobufIs400() throws Exception {
    HttpResponse<byte[]> r = h.post("/v1/traces", PROTO, null, new byte[] {0x0a, 0x7f, 0x01});
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(status(r)).contains("not a valid OTLP traces protobuf");
    stillServes();
  }

  @Test
  void malformedJsonIs400WithAJsonStatus() throws Exception {
    HttpResponse<byte[]> r = h.post("/v1/logs", "application/json", null,
        "{\"resourceLogs\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("malformed JSON");
    stillServes();
  }

  @Test
  void invalidHexIdNamesTheField() throws Exception {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\","
        + "\"spanId\":\"0102030405060708\",\"name\":\"x\"}]}]}]}";
    HttpResponse<byte[]> r = h.post("/v1/traces", "application/json", null,
        json.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("resourceSpans[0].scopeSpans[0].spans[0].traceId must be a hex string");
  }

  @Test
  void jsonWithUnknownFieldsAndEnumNumbersIsAccepted() throws Exception {
    String json = "{\"resourceSpans\":[{\"futureField\":1,\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
        + "\"name\":\"GET\",\"kind\":2,\"startTimeUnixNano\":\"1544712660000000000\","
        + "\"endTimeUnixNano\":1544712661000000000}]}]}]}";
    HttpResponse<byte[]> r = h.post("/v1/traces", "application/json; charset=utf-8", null,
        json.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    Span s = h.traces.batches().get(0).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(s.getTraceId().toByteArray()).hasSize(16);
    assertThat(java.util.HexFormat.of().formatHex(s.getSpanId().toByteArray()))
        .isEqualTo("eee19b7ec3c1b174");
    assertThat(s.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
  }

  @Test
  void corruptGzipIs400() throws Exception {
    byte[] gz = gzip(TestData.spans(3).toByteArray());
    gz[gz.length / 2] ^= 0x5a;
    gz[gz.length - 5] ^= 0x33;
    HttpResponse<byte[]> r = h.post("/v1/traces", PROTO, "gzip", gz);
    assertThat(r.statusCode()).isEqualTo(400);
    HttpResponse<byte[]> notGzip = h.post("/v1/traces", PROTO, "gzip", new byte[] {1, 2, 3, 4});
    assertThat(notGzip.statusCode()).isEqualTo(400);
    assertThat(status(notGzip)).contains("gzip");
    stillServes();
  }

  @Test
  void gzipBombIs413() throws Exception {
    byte[] bomb = gzip(new byte[8 << 20]);
    assertThat(bomb.length).isLessThan(1 << 20);
    HttpResponse<byte[]> r = h.post("/v1/traces", PROTO, "gzip", bomb);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r)).contains("decompressed body exceeds max_request_body_size");
    stillServes();
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    HttpResponse<byte[]> r = h.post("/v1/traces", PROTO, null, new byte[(1 << 20) + 1]);
    assertThat(r.statusCode()).isEqualTo(413);
    stillServes();
  }

  @Test
  void wrongContentTypeMethodPathAndEncoding() throws Exception {
    assertThat(h.post("/v1/traces", "text/plain", null, new byte[1]).statusCode()).isEqualTo(415);
    assertThat(h.post("/v1/traces", null, null, new byte[1]).statusCode()).isEqualTo(415);
    assertThat(h.post("/v1/traces", PROTO, "br", new byte[1]).statusCode()).isEqualTo(415);
    assertThat(h.post("/v1/spans", PROTO, null, new byte[1]).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> get = h.http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(h.httpUrl("/v1/traces"))).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    stillServes();
  }

  @Test
  void refusalsMapToOtlpAnswersOverHttp() throws Exception {
    byte[] body = TestData.spans(1).toByteArray();
    h.traces.refuseWith(ConsumeException.retryable("queue full"));
    HttpResponse<byte[]> r = h.post("/v1/traces", PROTO, null, body);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    h.traces.refuseWith(ConsumeException.throttled("memory", Duration.ofSeconds(3)));
    r = h.post("/v1/traces", PROTO, null, body);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
    h.traces.refuseWith(ConsumeException.permanent("bad data"));
    r = h.post("/v1/traces", PROTO, null, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(status(r)).isEqualTo("bad data");
  }

  @Test
  void refusalsMapToOtlpStatusesOverGrpc() {
    var stub = TraceServiceGrpc.newBlockingStub(h.channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    h.traces.refuseWith(ConsumeException.retryable("queue full"));
    assertThatThrownBy(() -> stub.export(TestData.spans(1)))
        .satisfies(e -> {
          assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(StatusProto.fromThrowable(e).getDetails(0).is(com.google.rpc.RetryInfo.class))
              .isTrue();
        });
    h.traces.refuseWith(ConsumeException.throttled("memory", Duration.ofMillis(1500)));
    assertThatThrownBy(() -> stub.export(TestData.spans(1)))
        .satisfies(e -> {
          assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          var info = StatusProto.fromThrowable(e).getDetails(0).unpack(com.google.rpc.RetryInfo.class);
          assertThat(info.getRetryDelay().getSeconds()).isEqualTo(1);
          assertThat(info.getRetryDelay().getNanos()).isEqualTo(500_000_000);
        });
    h.traces.refuseWith(ConsumeException.permanent("bad data"));
    assertThatThrownBy(() -> stub.export(TestData.spans(1)))
        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
            .isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  /** A marshaller that sends raw bytes, so the server sees whatever the test wants. */
  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  };

  private byte[] rawExport(byte[] body) {
    MethodDescriptor<byte[], byte[]> m =
        TraceServiceGrpc.getExportMethod().toBuilder(RAW, RAW).build();
    return ClientCalls.blockingUnaryCall(
        h.channel, m, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), body);
  }

  @Test
  void grpcGarbageIsInvalidArgument() throws Exception {
    assertThatThrownBy(() -> rawExport(new byte[] {0x0a, 0x7f, 0x01, 0x02}))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
            .isEqualTo(Status.Code.INVALID_ARGUMENT));
    stillServes();
  }

  @Test
  void grpcOversizedMessageIsResourceExhausted() throws Exception {
    ExportTraceServiceRequest big = ExportTraceServiceRequest.newBuilder().addResourceSpans(
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(
            Span.newBuilder().setTraceId(TestData.randomId(16)).setSpanId(TestData.randomId(8))
                .setName("x".repeat(2 << 20))))).build();
    assertThatThrownBy(() -> rawExport(big.toByteArray()))
        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    stillServes();
  }

  @Test
  void invalidIdsAreRejectedThroughPartialSuccess() throws Exception {
    ExportTraceServiceRequest mixed = TestData.spans(3).toBuilder().addResourceSpans(
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(
            Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[3]))
                .setSpanId(TestData.randomId(8)).setName("short-id")))).build();
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(
        rawExport(mixed.toByteArray()));
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage()).contains("trace_id must be 16 bytes");
    assertThat(h.traces.batches().get(0).getResourceSpans(0).getScopeSpans(0).getSpansCount())
        .isEqualTo(3);
    HttpResponse<byte[]> r = h.post("/v1/traces", PROTO, null, mixed.toByteArray());
    assertThat(ExportTraceServiceResponse.parseFrom(r.body()).getPartialSuccess()
        .getRejectedSpans()).isEqualTo(1);
  }
}
