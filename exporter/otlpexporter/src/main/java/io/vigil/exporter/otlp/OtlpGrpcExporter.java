package io.vigil.exporter.otlp;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.AbstractFutureStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.config.tls.ClientTls;
import io.vigil.core.Consumer;
import io.vigil.core.auth.ClientAuthenticator;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.exporter.exporterhelper.BatchSender;
import io.vigil.exporter.exporterhelper.Compression;
import io.vigil.exporter.exporterhelper.EncodedBatchSender;
import io.vigil.exporter.exporterhelper.PerSignalSenders;
import io.vigil.exporter.exporterhelper.QueuedRetryingSender;
import io.vigil.exporter.exporterhelper.Withdrawable;
import io.vigil.exporter.exporterhelper.SendResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/** Sends OTLP over gRPC to another gateway, a collector, or a backend that speaks OTLP. */
final class OtlpGrpcExporter implements Exporter, Withdrawable {

  private final ComponentSettings settings;
  private final OtlpExporterConfig config;
  private final Set<Signal<?>> signals;
  private final Compression compression;
  private final PerSignalSenders senders;
  private ManagedChannel channel;
  private Channel intercepted;
  private ClientTls tls;

  OtlpGrpcExporter(ComponentSettings settings, OtlpExporterConfig config, Set<Signal<?>> signals) {
    this.settings = settings;
    this.config = config;
    this.signals = signals;
    this.compression = Compression.parse("compression", config.compression, Compression.all());
    String endpoint = Endpoint.target(config.endpoint);
    this.senders = new PerSignalSenders(settings, config);
    for (Signal<?> s : signals) {
      add(s, endpoint);
    }
  }

  private <T extends Message> void add(Signal<T> signal, String endpoint) {
    senders.add(signal, senderFor(signal, endpoint));
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> BatchSender<T> senderFor(Signal<T> signal, String endpoint) {
    if (signal == Signal.TRACES) {
      Function<ExportTraceServiceResponse, SendResult> answer = resp -> SendResult.partial(
          resp.getPartialSuccess().getRejectedSpans(), resp.getPartialSuccess().getErrorMessage());
      return (BatchSender<T>) EncodedBatchSender.of(call(endpoint,
          (Function<Channel, TraceServiceGrpc.TraceServiceFutureStub>) TraceServiceGrpc::newFutureStub,
          (TraceServiceGrpc.TraceServiceFutureStub stub, ExportTraceServiceRequest r) ->
              Futures.transform(stub.export(r), answer::apply, MoreExecutors.directExecutor())),
          serialized(endpoint, TraceServiceGrpc.getExportMethod(), answer));
    }
    if (signal == Signal.METRICS) {
      Function<ExportMetricsServiceResponse, SendResult> answer = resp -> SendResult.partial(
          resp.getPartialSuccess().getRejectedDataPoints(),
          resp.getPartialSuccess().getErrorMessage());
      return (BatchSender<T>) EncodedBatchSender.of(call(endpoint,
          (Function<Channel, MetricsServiceGrpc.MetricsServiceFutureStub>) MetricsServiceGrpc::newFutureStub,
          (MetricsServiceGrpc.MetricsServiceFutureStub stub, ExportMetricsServiceRequest r) ->
              Futures.transform(stub.export(r), answer::apply, MoreExecutors.directExecutor())),
          serialized(endpoint, MetricsServiceGrpc.getExportMethod(), answer));
    }
    Function<ExportLogsServiceResponse, SendResult> answer = resp -> SendResult.partial(
        resp.getPartialSuccess().getRejectedLogRecords(),
        resp.getPartialSuccess().getErrorMessage());
    return (BatchSender<T>) EncodedBatchSender.of(call(endpoint,
        (Function<Channel, LogsServiceGrpc.LogsServiceFutureStub>) LogsServiceGrpc::newFutureStub,
        (LogsServiceGrpc.LogsServiceFutureStub stub, ExportLogsServiceRequest r) ->
            Futures.transform(stub.export(r), answer::apply, MoreExecutors.directExecutor())),
        serialized(endpoint, LogsServiceGrpc.getExportMethod(), answer));
  }

  /** Request bytes as they are: what the durable queue's merged requests already are. */
  private static final MethodDescriptor.Marshaller<byte[]> SERIALIZED =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream in) {
          try {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** Calls {@code method} with a serialized request: no decode and re-encode on the way out. */
  private <R> EncodedBatchSender.Encoded serialized(
      String endpoint, MethodDescriptor<?, R> method, Function<R, SendResult> answer) {
    MethodDescriptor<byte[], R> raw =
        method.toBuilder(SERIALIZED, method.getResponseMarshaller()).build();
    return (request, timeout) -> {
      CallOptions options =
          CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (compression != Compression.NONE) {
        options = options.withCompression(compression.encoding());
      }
      CompletableFuture<SendResult> result = new CompletableFuture<>();
      Futures.addCallback(ClientCalls.futureUnaryCall(intercepted.newCall(raw, options), request),
          new FutureCallback<R>() {
            @Override
            public void onSuccess(R r) {
              result.complete(answer.apply(r));
            }

            @Override
            public void onFailure(Throwable t) {
              result.completeExceptionally(GrpcStatusMapping.classify(t, endpoint));
            }
          }, MoreExecutors.directExecutor());
      return result;
    };
  }

  /** How to call one signal's Export on a stub. */
  @FunctionalInterface
  private interface Call<S, T> {
    ListenableFuture<SendResult> export(S stub, T request);
  }

  private <S extends AbstractFutureStub<S>, T> BatchSender<T> call(
      String endpoint, Function<Channel, S> stubs, Call<S, T> call) {
    return (batch, timeout) -> {
      S stub = stubs.apply(intercepted).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (compression != Compression.NONE) {
        stub = stub.withCompression(compression.encoding());
      }
      CompletableFuture<SendResult> result = new CompletableFuture<>();
      Futures.addCallback(call.export(stub, batch), new FutureCallback<SendResult>() {
        @Override
        public void onSuccess(SendResult r) {
          result.complete(r);
        }

        @Override
        public void onFailure(Throwable t) {
          result.completeExceptionally(GrpcStatusMapping.classify(t, endpoint));
        }
      }, MoreExecutors.directExecutor());
      return result;
    };
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return senders.consumer(signal);
  }

  @Override
  public <T extends Message> List<QueuedRetryingSender.Withdrawn<T>> withdraw(Signal<T> signal) {
    return senders.withdraw(signal);
  }

  @Override
  public void start() {
    NettyChannelBuilder b = NettyChannelBuilder.forTarget(Endpoint.target(config.endpoint));
    if (Endpoint.usesTls(config.endpoint, config.tls.insecure)) {
      tls = config.tls.load("tls");
      tls.start();
      b.sslContext(sslContext(tls));
      if (tls.serverNameOverride() != null) {
        b.overrideAuthority(tls.serverNameOverride());
      }
    } else {
      b.usePlaintext();
    }
    channel = b.compressorRegistry(GrpcCompression.compressors())
        .decompressorRegistry(GrpcCompression.decompressors())
        .build();
    Metadata headers = new Metadata();
    config.headers.forEach(
        (k, v) -> headers.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    intercepted = ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    if (config.auth != null) {
      intercepted = ClientInterceptors.intercept(intercepted,
          new AuthHeaders(config.auth.client(settings.host(), "auth")));
    }
    senders.start();
  }

  /**
   * The client context over the tls block's key and trust managers (null trust: the JVM's
   * store); the JDK provider asks the managers on every handshake, so rotations are seen.
   */
  private static SslContext sslContext(ClientTls tls) {
    try {
      SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(),
          SslProvider.JDK).trustManager(tls.trustManager()).protocols(tls.protocols());
      if (tls.keyManager() != null) {
        b.keyManager(tls.keyManager());
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot make the gRPC client's TLS context", e);
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    senders.shutdown(deadline);
    if (tls != null) {
      tls.close();
    }
    if (channel != null) {
      channel.shutdown();
      try {
        long left = Math.max(100, Duration.between(Instant.now(), deadline).toMillis());
        if (!channel.awaitTermination(left, TimeUnit.MILLISECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.shutdownNow();
      }
    }
  }

  /** Adds the authenticator's headers to each call, asked anew per call (rotated tokens). */
  private static final class AuthHeaders implements ClientInterceptor {
    private final ClientAuthenticator authenticator;

    AuthHeaders(ClientAuthenticator authenticator) {
      this.authenticator = authenticator;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<Q, R>(
          next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          authenticator.headers().forEach((k, v) -> headers.put(
              Metadata.Key.of(k.toLowerCase(java.util.Locale.ROOT),
                  Metadata.ASCII_STRING_MARSHALLER), v));
          super.start(listener, headers);
        }
      };
    }
  }

  Set<Signal<?>> signals() {
    return signals;
  }
}
