package io.vigil.receiver.otlp;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Type {@code otlp}: OTLP over gRPC and HTTP. */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {

  @Override
  public String type() {
    return "otlp";
  }

  @Override
  public OtlpReceiverConfig createDefaultConfig() {
    return new OtlpReceiverConfig();
  }

  @Override
  public void validate(OtlpReceiverConfig c) {
    OtlpReceiverConfig.Protocols p = c.protocols;
    if (p == null || (p.grpc == null && p.http == null)) {
      throw new ConfigException("protocols", "must specify at least one of grpc, http");
    }
    if (p.grpc != null) {
      HostPort.parse(p.grpc.endpoint, "protocols::grpc::endpoint");
      if (p.grpc.maxRecvMsgSizeMib < 1) {
        throw new ConfigException("protocols::grpc::max_recv_msg_size_mib", "must be at least 1");
      }
      if (p.grpc.tls != null) {
        p.grpc.tls.validate("protocols::grpc::tls");
      }
      if (p.grpc.auth != null) {
        p.grpc.auth.validate("protocols::grpc::auth");
      }
    }
    if (p.http != null) {
      HostPort.parse(p.http.endpoint, "protocols::http::endpoint");
      if (p.http.maxRequestBodySize < 1) {
        throw new ConfigException("protocols::http::max_request_body_size", "must be positive");
      }
      if (p.http.maxRequestBodySize > Integer.MAX_VALUE - 8) {
        throw new ConfigException("protocols::http::max_request_body_size", "must be below 2 GiB");
      }
      checkPath("traces_url_path", p.http.tracesUrlPath);
      checkPath("metrics_url_path", p.http.metricsUrlPath);
      checkPath("logs_url_path", p.http.logsUrlPath);
      if (p.http.tls != null) {
        p.http.tls.validate("protocols::http::tls");
      }
      if (p.http.auth != null) {
        p.http.auth.validate("protocols::http::auth");
      }
    }
  }

  private static void checkPath(String key, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new ConfigException("protocols::http::" + key, "must start with /");
    }
  }

  @Override
  public Map<String, String> listenAddresses(OtlpReceiverConfig c) {
    Map<String, String> out = new LinkedHashMap<>();
    if (c.protocols.grpc != null) {
      out.put("protocols::grpc::endpoint", c.protocols.grpc.endpoint);
    }
    if (c.protocols.http != null) {
      out.put("protocols::http::endpoint", c.protocols.http.endpoint);
    }
    return out;
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.all());
  }

  @Override
  public Receiver create(ComponentSettings settings, OtlpReceiverConfig config, SignalConsumers consumers) {
    return new OtlpReceiver(settings, config, consumers);
  }
}
