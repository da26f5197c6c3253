package io.vigil.gateway;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend: a grpc-java OTLP trace server on 127.0.0.1 that counts every span ID it accepted
 * (so duplicates show) and, while {@link #down} is set, answers UNAVAILABLE as a restarting
 * backend would, keeping nothing.
 */
final class TraceSink implements AutoCloseable {

  final Map<ByteString, AtomicInteger> received = new ConcurrentHashMap<>();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong requests = new AtomicLong();
  volatile boolean down;
  /** Goes {@link #down} by itself once it holds this many span IDs (mid-stream, exactly). */
  volatile int downAt = Integer.MAX_VALUE;
  private final Server server;

  TraceSink() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .maxInboundMessageSize(64 << 20)
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest req,
              StreamObserver<ExportTraceServiceResponse> obs) {
            if (received.size() >= downAt) {
              down = true;
            }
            if (down) {
              refused.incrementAndGet();
              obs.onError(Status.UNAVAILABLE.withDescription("sink is down for the test")
                  .asRuntimeException());
              return;
            }
            requests.incrementAndGet();
            req.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
                ss -> ss.getSpansList().forEach(s ->
                    received.computeIfAbsent(s.getSpanId(), k -> new AtomicInteger())
                        .incrementAndGet())));
            obs.onNext(ExportTraceServiceResponse.getDefaultInstance());
            obs.onCompleted();
          }
        })
        .build()
        .start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Span IDs of {@code expected} not received yet. */
  Set<ByteString> missing(Set<ByteString> expected) {
    Set<ByteString> m = ConcurrentHashMap.newKeySet();
    for (ByteString id : expected) {
      if (!received.containsKey(id)) {
        m.add(id);
      }
    }
    return m;
  }

  /** Deliveries beyond the first of each span. */
  long duplicates() {
    return received.values().stream().mapToLong(c -> c.get() - 1).sum();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
