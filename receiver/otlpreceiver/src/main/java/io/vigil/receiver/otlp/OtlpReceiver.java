package io.vigil.receiver.otlp;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Host;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.SignalConsumers;
import io.vigil.receiver.otlp.internal.OtlpGrpcServer;
import io.vigil.receiver.otlp.internal.OtlpHttpServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Receives OTLP over gRPC and/or HTTP and feeds the pipelines that list it. */
final class OtlpReceiver implements Receiver {

  private final ComponentSettings settings;
  private final OtlpReceiverConfig config;
  private final SignalConsumers consumers;
  private OtlpGrpcServer grpc;
  private OtlpHttpServer http;

  OtlpReceiver(ComponentSettings settings, OtlpReceiverConfig config, SignalConsumers consumers) {
    this.settings = settings;
    this.config = config;
    this.consumers = consumers;
  }

  @Override
  public void start() {
    start(settings.host());
  }

  /** Builds the servers here, not earlier: an {@code auth} extension runs only from now on. */
  @Override
  public void start(Host host) {
    var p = config.protocols;
    if (p.grpc != null) {
      grpc = new OtlpGrpcServer(p.grpc.endpoint, p.grpc.maxRecvMsgSizeMib,
          p.grpc.tls == null ? null : p.grpc.tls.load("protocols::grpc::tls"),
          p.grpc.auth == null ? null : p.grpc.auth.server(host, "protocols::grpc::auth"),
          consumers, settings.telemetry().receiver(settings.id(), "grpc"));
      grpc.start();
    }
    if (p.http != null) {
      Map<String, Signal<?>> paths = new LinkedHashMap<>();
      paths.put(p.http.tracesUrlPath, Signal.TRACES);
      paths.put(p.http.metricsUrlPath, Signal.METRICS);
      paths.put(p.http.logsUrlPath, Signal.LOGS);
      try {
        http = new OtlpHttpServer(p.http.endpoint, p.http.maxRequestBodySize,
            p.http.tls == null ? null : p.http.tls.load("protocols::http::tls"),
            p.http.auth == null ? null : p.http.auth.server(host, "protocols::http::auth"),
            paths, consumers, settings.telemetry().receiver(settings.id(), "http"));
        http.start();
      } catch (RuntimeException e) {
        if (grpc != null) {
          grpc.shutdown(Instant.now());
        }
        throw e;
      }
    }
  }

  @Override
  public void shutdown(Instant deadline) {
    if (http != null) {
      http.shutdown(deadline);
    }
    if (grpc != null) {
      grpc.shutdown(deadline);
    }
  }

  /** Bound ports, for tests that listen on port 0. */
  int grpcPort() {
    return grpc.port();
  }

  int httpPort() {
    return http.port();
  }
}
