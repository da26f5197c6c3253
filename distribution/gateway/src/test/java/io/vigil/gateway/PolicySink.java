package io.vigil.gateway;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The backend of a tier of tail-sampling gateways whose pipelines each run one policy: an OTLP
 * gRPC trace server on 127.0.0.1 that files every span it receives under the {@code x-policy}
 * and {@code x-sampler} headers the sending exporter was configured with, so a test can tell
 * which policy kept which trace at which sampler.
 */
final class PolicySink implements AutoCloseable {

  /** One span as it arrived. */
  record Arrival(String policy, String sampler, ByteString traceId, ByteString spanId) {}

  private static final Metadata.Key<String> POLICY =
      Metadata.Key.of("x-policy", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SAMPLER =
      Metadata.Key.of("x-sampler", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> POLICY_OF_CALL = Context.key("policy");
  private static final Context.Key<String> SAMPLER_OF_CALL = Context.key("sampler");

  final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final Server server;

  PolicySink() throws Exception {
    TraceServiceGrpc.TraceServiceImplBase service = new TraceServiceGrpc.TraceServiceImplBase() {
      @Override
      public void export(ExportTraceServiceRequest req,
          StreamObserver<ExportTraceServiceResponse> obs) {
        String policy = POLICY_OF_CALL.get();
        String sampler = SAMPLER_OF_CALL.get();
        req.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
            ss.getSpansList().forEach(s -> arrivals.add(
                new Arrival(policy, sampler, s.getTraceId(), s.getSpanId())))));
        obs.onNext(ExportTraceServiceResponse.getDefaultInstance());
        obs.onCompleted();
      }
    };
    ServerInterceptor headers = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call,
          Metadata metadata, ServerCallHandler<Q, A> next) {
        return Contexts.interceptCall(Context.current()
            .withValue(POLICY_OF_CALL, metadata.get(POLICY))
            .withValue(SAMPLER_OF_CALL, metadata.get(SAMPLER)), call, metadata, next);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .maxInboundMessageSize(64 << 20)
        .addService(ServerInterceptors.intercept(service, headers))
        .build()
        .start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Under one policy: span IDs received per trace ID, duplicates kept. */
  Map<ByteString, List<ByteString>> spansByTrace(String policy) {
    return arrivals.stream().filter(a -> policy.equals(a.policy())).collect(Collectors.groupingBy(
        Arrival::traceId, Collectors.mapping(Arrival::spanId, Collectors.toList())));
  }

  /** Under one policy: the samplers each trace arrived from. */
  Map<ByteString, Set<String>> samplersByTrace(String policy) {
    return arrivals.stream().filter(a -> policy.equals(a.policy())).collect(Collectors.groupingBy(
        Arrival::traceId, Collectors.mapping(Arrival::sampler, Collectors.toSet())));
  }

  /** Spans that arrived per sampler, under every policy. */
  Map<String, Long> spansPerSampler() {
    return arrivals.stream().collect(Collectors.groupingBy(Arrival::sampler,
        ConcurrentHashMap::new, Collectors.counting()));
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
