package io.vigil.receiver.otlp.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.config.tls.ServerTls;
import io.vigil.core.ConsumeException;
import io.vigil.core.auth.ServerAuthenticator;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.pdata.ReceivedBytes;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** The OTLP gRPC services (traces, metrics, logs) on one grpc-java server. */
public final class OtlpGrpcServer {

  private static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

  /** The caller's socket address, for {@link io.vigil.core.ClientInfo} (see {@link #PEER}). */
  private static final Context.Key<SocketAddress> PEER_ADDRESS = Context.key("vigil-peer-address");

  /**
   * Puts the transport's remote address in the call's context: the unary handler sees only the
   * request, not the {@link ServerCall} whose attributes hold it.
   */
  private static final ServerInterceptor PEER = new ServerInterceptor() {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      Context ctx = Context.current().withValue(
          PEER_ADDRESS, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      return Contexts.interceptCall(ctx, call, headers, next);
    }
  };

  private final Server server;
  private final String endpoint;
  private final ServerTls tls;

  /** A server speaking TLS when {@code tls} is set (null: plaintext). */
  public OtlpGrpcServer(String endpoint, int maxRecvMsgSizeMib, ServerTls tls,
      SignalConsumers consumers, ReceiverTelemetry t) {
    this(endpoint, maxRecvMsgSizeMib, tls, null, consumers, t);
  }

  /**
   * A server that also asks {@code authenticator} (null: none) about every call before it
   * starts.
   */
  public OtlpGrpcServer(String endpoint, int maxRecvMsgSizeMib, ServerTls tls,
      ServerAuthenticator authenticator, SignalConsumers consumers, ReceiverTelemetry t) {
    this.endpoint = endpoint;
    this.tls = tls;
    InetSocketAddress address = HostPort.parse(endpoint, "protocols::grpc::endpoint");
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    if (tls != null) {
      builder.sslContext(sslContext(tls));
    }
    if (authenticator != null) {
      builder.intercept(new GrpcAuthInterceptor(authenticator, t));
    }
    this.server = builder
        .intercept(PEER)
        .maxInboundMessageSize(maxRecvMsgSizeMib << 20)
        .addService(service(TraceServiceGrpc.getExportMethod(), Signal.TRACES, consumers, t))
        .addService(service(MetricsServiceGrpc.getExportMethod(), Signal.METRICS, consumers, t))
        .addService(service(LogsServiceGrpc.getExportMethod(), Signal.LOGS, consumers, t))
        .build();
  }

  /**
   * grpc-java's shaded netty context over the reloading key and trust managers; the JDK provider
   * because it calls the managers on every handshake, which is what makes a rotation visible.
   */
  private static SslContext sslContext(ServerTls tls) {
    try {
      return GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManager()),
              SslProvider.JDK)
          .trustManager(tls.clientTrustManager())
          .clientAuth(tls.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE)
          .protocols(tls.protocols())
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot make the gRPC server's TLS context", e);
    }
  }

  /**
   * The Export method of one signal, taking raw bytes and parsing them here: grpc-java answers
   * a request its marshaller cannot parse with UNKNOWN or INTERNAL, which OTLP clients may
   * retry forever; bytes that are not the message deserve INVALID_ARGUMENT.
   */
  private static <T extends Message, R extends Message> ServerServiceDefinition service(
      MethodDescriptor<T, R> export,
      Signal<T> signal,
      SignalConsumers consumers,
      ReceiverTelemetry telemetry) {
    MethodDescriptor<byte[], R> method =
        export.toBuilder(RawBytes.INSTANCE, export.getResponseMarshaller()).build();
    Consumer<T> consumer = consumers.get(signal);
    return ServerServiceDefinition.builder(export.getServiceName())
        .addMethod(method, ServerCalls.asyncUnaryCall(
            (byte[] bytes, StreamObserver<R> response) -> {
              T request;
              try {
                // Nothing after this receiver reads the data: check and count, do not decode.
                CompletableFuture<Message> direct =
                    Outcome.deliverEncoded(signal, bytes, consumer, telemetry);
                if (direct != null) {
                  answer(direct, response);
                  return;
                }
                // Kept for a durable queue to store as they came (unless a processor changes
                // the request); Outcome forgets them once the pipeline answered.
                request = ReceivedBytes.remember(signal.parse(bytes), bytes);
              } catch (InvalidProtocolBufferException e) {
                response.onError(Status.INVALID_ARGUMENT
                    .withDescription("request is not a valid OTLP " + signal.name()
                        + " protobuf: " + e.getMessage())
                    .asRuntimeException());
                return;
              }
              export(signal, request, consumer, telemetry, response);
            }))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message, R> void export(
      Signal<T> signal, T request, Consumer<T> consumer, ReceiverTelemetry telemetry,
      StreamObserver<R> response) {
    if (consumer == null) {
      response.onError(Status.UNIMPLEMENTED
          .withDescription("no " + signal.name() + " pipeline uses this receiver")
          .asRuntimeException());
      return;
    }
    SocketAddress peer = PEER_ADDRESS.get();
    answer(Outcome.deliver(signal, request, consumer, telemetry, peer), response);
  }

  @SuppressWarnings("unchecked")
  private static <R> void answer(CompletableFuture<Message> outcome, StreamObserver<R> response) {
    outcome.whenComplete((ok, err) -> {
      if (err == null) {
        response.onNext((R) ok);
        response.onCompleted();
      } else {
        response.onError(StatusProto.toStatusRuntimeException(status(ConsumeException.from(err))));
      }
    });
  }

  /** The OTLP answer to a refusal: retryable ones carry RetryInfo. */
  static com.google.rpc.Status status(ConsumeException e) {
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder()
        .setMessage(String.valueOf(e.getMessage()));
    switch (e.kind()) {
      case PERMANENT:
        return s.setCode(Code.INVALID_ARGUMENT_VALUE).build();
      case THROTTLED:
        s.setCode(Code.RESOURCE_EXHAUSTED_VALUE);
        break;
      default:
        s.setCode(Code.UNAVAILABLE_VALUE);
    }
    Duration delay = e.retryAfter().orElse(DEFAULT_RETRY_DELAY);
    return s.addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(delay.getSeconds()).setNanos(delay.getNano()))
            .build()))
        .build();
  }

  public void start() {
    if (tls != null) {
      tls.start();
    }
    try {
      server.start();
    } catch (IOException e) {
      if (tls != null) {
        tls.close();
      }
      Throwable c = e;
      while (c.getCause() != null && !(c instanceof BindException)) {
        c = c.getCause();
      }
      throw new ConfigException("protocols::grpc::endpoint",
          "cannot listen on " + endpoint + ": " + (c instanceof BindException
              ? "address already in use" : String.valueOf(c.getMessage())), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** Stops taking calls; calls in progress finish until the deadline. */
  public void shutdown(Instant deadline) {
    if (tls != null) {
      tls.close();
    }
    server.shutdown();
    try {
      long ms = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      if (!server.awaitTermination(ms, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }

  /** Passes request bytes through untouched; the handler parses them. */
  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read request: " + e).asRuntimeException();
      }
    }
  }
}
