package io.vigil.exporter.loadbalancing;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
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
  /** Log records and metrics per {@code service.name}. */
  final Map<String, AtomicInteger> logRecords = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> metrics = new ConcurrentHashMap<>();
  /** When set, every trace export is refused with it (an overloaded sampler). */
  volatile io.grpc.Status refusing;
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
            io.grpc.Status refusal = refusing;
            if (refusal != null) {
              obs.onError(refusal.asRuntimeException()); // not accepted: nothing recorded
              return;
            }
            req.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
                ss.getSpansList().forEach(s -> {
                  traces.add(s.getTraceId());
                  spans.computeIfAbsent(s.getSpanId(), k -> new AtomicInteger()).incrementAndGet();
                })));
            obs.onNext(ExportTraceServiceResponse.getDefaultInstance());
            obs.onCompleted();
          }
        })
        .addService(new LogsServiceGrpc.LogsServiceImplBase() {
          @Override
          public void export(ExportLogsServiceRequest req,
              StreamObserver<ExportLogsServiceResponse> obs) {
            req.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl ->
                logRecords.computeIfAbsent(service(rl.getResource()), k -> new AtomicInteger())
                    .addAndGet(sl.getLogRecordsCount())));
            obs.onNext(ExportLogsServiceResponse.getDefaultInstance());
            obs.onCompleted();
          }
        })
        .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
          @Override
          public void export(ExportMetricsServiceRequest req,
              StreamObserver<ExportMetricsServiceResponse> obs) {
            req.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm ->
                metrics.computeIfAbsent(service(rm.getResource()), k -> new AtomicInteger())
                    .addAndGet(sm.getMetricsCount())));
            obs.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            obs.onCompleted();
          }
        }).build().start();
  }

  private static String service(io.opentelemetry.proto.resource.v1.Resource r) {
    return r.getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
        .map(kv -> kv.getValue().getStringValue()).findFirst().orElse("");
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
