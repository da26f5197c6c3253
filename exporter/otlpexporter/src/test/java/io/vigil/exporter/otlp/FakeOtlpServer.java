package io.vigil.exporter.otlp;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A grpc-java OTLP trace server whose answer the test chooses per call: a response, or an
 * exception to fail with, or null to never answer.
 */
final class FakeOtlpServer implements AutoCloseable {

  /** One received call: when, what, with which metadata. */
  record Call(long nanos, ExportTraceServiceRequest request, Metadata headers) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile Function<Integer, Object> answer = n -> ExportTraceServiceResponse.getDefaultInstance();
  private final Server server;
  private static final Context.Key<Metadata> HEADERS = Context.key("headers");

  FakeOtlpServer() throws Exception {
    var service = new TraceServiceGrpc.TraceServiceImplBase() {
      @Override
      public void export(ExportTraceServiceRequest req,
          StreamObserver<ExportTraceServiceResponse> obs) {
        calls.add(new Call(System.nanoTime(), req, HEADERS.get()));
        Object a = answer.apply(calls.size());
        if (a instanceof ExportTraceServiceResponse r) {
          obs.onNext(r);
          obs.onCompleted();
        } else if (a instanceof StatusRuntimeException e) {
          obs.onError(e);
        }
      }
    };
    ServerInterceptor capture = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(
            Context.current().withValue(HEADERS, headers), call, headers, next);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, capture))
        .directExecutor()
        .decompressorRegistry(GrpcCompression.decompressors())
        .build()
        .start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  int spansReceived() {
    return calls.stream().mapToInt(c -> c.request().getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream()).mapToInt(s -> s.getSpansCount()).sum())
        .sum();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
