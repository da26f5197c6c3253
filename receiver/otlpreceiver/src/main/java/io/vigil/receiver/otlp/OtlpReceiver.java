package io.vigil.receiver.otlp;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.SignalConsumers;
import io.vigil.receiver.otlp.internal.OtlpGrpcServer;
import io.vigil.receiver.otlp.internal.OtlpHttpServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Receives OTLP over gRPC and/or HTTP and feeds the pipelines that list it. */
final class OtlpReceiver implements Receiver {

  private final OtlpGrpcServer grpc;
  private final OtlpHttpServer http;

  OtlpReceiver(ComponentSettings settings, OtlpReceiverConfig config, SignalConsumers consumers) {
    var p = config.protocols;
    grpc = p.grpc == null ? null : new OtlpGrpcServer(p.grpc.endpoint, p.grpc.maxRecvMsgSizeMib,
        p.grpc.tls == null ? null : p.grpc.tls.load("protocols::grpc::tls"),
        consumers, settings.telemetry().receiver(settings.id(), "grpc"));
    if (p.http == null) {
      http = null;
    } else {
      Map<String, Signal<?>> paths = new LinkedHashMap<>();
      paths.put(p.http.tracesUrlPath, Signal.TRACES);
      paths.put(p.http.metricsUrlPath, Signal.METRICS);
      paths.put(p.http.logsUrlPath, Signal.LOGS);
      http = new OtlpHttpServer(p.http.endpoint, p.http.maxRequestBodySize,
          p.http.tls == null ? null : p.http.tls.load("protocols::http::tls"), paths, consumers,
          settings.telemetry().receiver(settings.id(), "http"));
    }
  }

  @Override
  public void start() {
    if (grpc != null) {
      grpc.start();
    }
    if (http != null) {
      try {
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
