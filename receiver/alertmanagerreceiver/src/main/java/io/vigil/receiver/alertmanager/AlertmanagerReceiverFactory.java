package io.vigil.receiver.alertmanager;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import java.util.Map;
import java.util.Set;

/** Type {@code alertmanager}: Alertmanager's webhook; each alert becomes an anomaly record. */
public final class AlertmanagerReceiverFactory
    implements ReceiverFactory<AlertmanagerReceiverConfig> {

  @Override
  public String type() {
    return "alertmanager";
  }

  @Override
  public AlertmanagerReceiverConfig createDefaultConfig() {
    return new AlertmanagerReceiverConfig();
  }

  @Override
  public void validate(AlertmanagerReceiverConfig c) {
    if (c.tls != null) {
      c.tls.validate("tls");
    }
    if (c.endpoint == null) {
      throw new ConfigException("endpoint", "expected host:port");
    }
    HostPort.parse(c.endpoint, "endpoint");
    if (c.path == null || !c.path.startsWith("/")) {
      throw new ConfigException("path", "must start with /");
    }
    if (c.authToken == null) {
      throw new ConfigException("auth_token", "must be a string (\"\" = no token)");
    }
    if (c.maxRequestBodySize < 1) {
      throw new ConfigException("max_request_body_size", "must be positive");
    }
  }

  @Override
  public Map<String, String> listenAddresses(AlertmanagerReceiverConfig c) {
    return Map.of("endpoint", c.endpoint);
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.LOGS);
  }

  @Override
  public Receiver create(ComponentSettings settings, AlertmanagerReceiverConfig config,
      SignalConsumers consumers) {
    return new AlertmanagerReceiver(settings, config, consumers);
  }
}
