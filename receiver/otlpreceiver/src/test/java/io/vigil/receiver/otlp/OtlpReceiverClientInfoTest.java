package io.vigil.receiver.otlp;

import com.google.protobuf.ByteString;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.ClientInfo;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pipeline is called with the connection's peer address as {@link ClientInfo#current()}, over
 * gRPC and HTTP, and nothing is left bound to the receiver's thread afterwards.
 */
class OtlpReceiverClientInfoTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void grpcCallsThePipelineWithThePeerAddress() throws Exception {
    try (ReceiverHarness h = new ReceiverHarness()) {
      AtomicReference<Optional<ClientInfo>> seen = new AtomicReference<>();
      h.traces.answerWith(b -> {
        seen.set(ClientInfo.current());
        return CompletableFuture.completedFuture(null);
      });
      TraceServiceGrpc.newBlockingStub(h.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .export(spans());
      assertThat(seen.get()).contains(ClientInfo.of(LOOPBACK));
    }
  }

  @Test
  void httpCallsThePipelineWithThePeerAddress() throws Exception {
    try (ReceiverHarness h = new ReceiverHarness()) {
      AtomicReference<Optional<ClientInfo>> seen = new AtomicReference<>();
      h.logs.answerWith(b -> {
        seen.set(ClientInfo.current());
        return CompletableFuture.completedFuture(null);
      });
      HttpResponse<byte[]> r =
          h.post("/v1/logs", "application/x-protobuf", null, logs().toByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(seen.get()).contains(ClientInfo.of(LOOPBACK));
    }
  }

  @Test
  void callWithRestoresWhatWasBoundBefore() {
    ClientInfo outer = ClientInfo.of(LOOPBACK);
    ClientInfo inner = ClientInfo.of(InetAddress.getLoopbackAddress());
    Optional<ClientInfo> after = ClientInfo.callWith(outer, () -> {
      ClientInfo.callWith(inner, ClientInfo::current);
      return ClientInfo.current();
    });
    assertThat(after).contains(outer);
    assertThat(ClientInfo.current()).isEmpty();
  }

  private static ExportTraceServiceRequest spans() {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("s")
            .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                13, 14, 15, 16}))
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))))
        .build();
  }

  private static ExportLogsServiceRequest logs() {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("x")))))
        .build();
  }
}
