package io.vigil.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP trace backend on 127.0.0.1 that keeps each request's bytes exactly as they came off
 * the wire (no parsing), for tests of what a gateway passes through unchanged.
 */
final class RawBytesTraceSink implements AutoCloseable {

  /** The same marshaller both ways: bytes in, bytes out. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<byte[], byte[]> EXPORT = TraceServiceGrpc.getExportMethod()
      .toBuilder(BYTES, BYTES).build();

  final List<byte[]> requests = new CopyOnWriteArrayList<>();
  /** When set, requests beyond the first {@link #acceptFirst} are refused with this status. */
  volatile Status refusal;
  volatile int acceptFirst;
  /** Requests refused so far. */
  final AtomicInteger refused = new AtomicInteger();
  private final Server server;

  RawBytesTraceSink() throws IOException {
    byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
            .addMethod(EXPORT, ServerCalls.asyncUnaryCall((request, response) -> {
              Status refuse = refusal;
              if (refuse != null && requests.size() >= acceptFirst) {
                refused.incrementAndGet();
                response.onError(refuse.asRuntimeException());
                return;
              }
              requests.add(request);
              response.onNext(ok);
              response.onCompleted();
            }))
            .build())
        .build()
        .start();
  }

  /** The span IDs of every request kept. */
  Set<ByteString> spanIds() {
    Set<ByteString> ids = new HashSet<>();
    for (byte[] r : requests) {
      try {
        ExportTraceServiceRequest.parseFrom(r).getResourceSpansList().forEach(rs ->
            rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(
                span -> ids.add(span.getSpanId()))));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the sink got bytes that are not a trace request", e);
      }
    }
    return ids;
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
