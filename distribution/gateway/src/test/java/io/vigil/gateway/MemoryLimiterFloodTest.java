package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.testing.FreePort;
import io.vigil.testing.TestData;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flood into a gateway whose backend is down: the exporter queue holds every batch, so the
 * heap fills. The memory limiter must start refusing with a retryable RESOURCE_EXHAUSTED
 * (with RetryInfo) before heap use reaches its hard limit.
 */
class MemoryLimiterFloodTest {

  private Gateway gateway;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  /** About 256 KiB of span attributes per request. */
  private static ExportTraceServiceRequest bigRequest(int seed) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < 64; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(TestData.randomId(16))
          .setSpanId(TestData.randomId(8))
          .setName("flood-" + seed)
          .addAttributes(KeyValue.newBuilder().setKey("payload").setValue(
              AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[4096])))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(TestData.resource("flood"))
            .addScopeSpans(scope))
        .build();
  }

  @Test
  void refusesWithRetryableErrorBeforeHeapReachesTheLimit() {
    // Nothing listens at the backend's address: every accepted batch waits in the exporter's
    // queue, on the heap.
    String deadBackend = FreePort.endpoint();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long usedMib = memory.getHeapMemoryUsage().getUsed() >> 20;
    long limitMib = usedMib + 256;
    String endpoint = FreePort.endpoint();
    gateway = Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + endpoint + "',"
            + " max_recv_msg_size_mib: 16}}}}",
        "processors:",
        "  memory_limiter: {check_interval: 100ms, limit_mib: " + limitMib
            + ", spike_limit_mib: 64}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + deadBackend,
        "    tls: {insecure: true}",
        "    sending_queue: {num_consumers: 2, queue_size: 100000}",
        "    retry_on_failure: {initial_interval: 1s, max_elapsed_time: 0s}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines: {traces: {receivers: [otlp], processors: [memory_limiter],"
            + " exporters: [otlp]}}"), Duration.ofSeconds(1));
    channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext()
        .maxInboundMessageSize(16 << 20).build();
    var stub = TraceServiceGrpc.newBlockingStub(channel);

    long peakMib = 0;
    StatusRuntimeException refusal = null;
    // 4000 x 256 KiB = 1 GiB: far past the limit, so the loop ends by refusal, not by count.
    for (int i = 0; i < 4000 && refusal == null; i++) {
      try {
        // 30 s: on a starved CI machine one accepted export under this heap pressure once took
        // more than 10 s; a gateway that hangs instead of refusing still fails here.
        stub.withDeadlineAfter(30, TimeUnit.SECONDS).export(bigRequest(i));
      } catch (StatusRuntimeException e) {
        refusal = e;
      }
      peakMib = Math.max(peakMib, memory.getHeapMemoryUsage().getUsed() >> 20);
    }

    assertThat(refusal).as("the limiter refused within the flood").isNotNull();
    assertThat(refusal.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    com.google.rpc.Status detail = StatusProto.fromThrowable(refusal);
    assertThat(detail).isNotNull();
    assertThat(detail.getDetailsList())
        .as("RESOURCE_EXHAUSTED is retryable for OTLP clients only with RetryInfo")
        .anySatisfy(any -> assertThat(any.is(com.google.rpc.RetryInfo.class)).isTrue());
    assertThat(peakMib).as("heap in use stayed below limit_mib").isLessThan(limitMib);
  }
}
