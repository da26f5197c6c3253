package io.vigil.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import io.grpc.Server;
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

/** An OTLP gRPC trace backend on loopback that records every span ID and trace ID it got. */
final class TraceSinkServer implements AutoCloseable {

  final Map<ByteString, AtomicInteger> spans = new ConcurrentHashMap<>();
  final Set<ByteString> traces = ConcurrentHashMap.newKeySet();
  private final Server server;
  private final String host;

  TraceSinkServer() throws Exception {
    this("127.0.0.1", 0);
  }

  /** On another loopback address (127.0.0.2...): DNS gives backends one port, many addresses. */
  TraceSinkServer(String host, int port) throws Exception {
    this.host = host;
    server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest req,
              StreamObserver<ExportTraceServiceResponse> obs) {
            req.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
                ss.getSpansList().forEach(s -> {
                  traces.add(s.getTraceId());
                  spans.computeIfAbsent(s.getSpanId(), k -> new AtomicInteger()).incrementAndGet();
                })));
            obs.onNext(ExportTraceServiceResponse.getDefaultInstance());
            obs.onCompleted();
          }
        }).build().start();
  }

  String endpoint() {
    return host + ":" + server.getPort();
  }

  int port() {
    return server.getPort();
  }

  /** Every span ID once or more: what arrived, duplicates aside. */
  Set<ByteString> spanIds() {
    return spans.keySet();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
