package io.vigil.receiver.fluentforward;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.ReceiverFactory;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.HostPort;
import java.util.Map;
import java.util.Set;

/** Type {@code fluentforward}: Fluent Bit and Fluentd's forward protocol, as log records. */
public final class FluentForwardReceiverFactory implements ReceiverFactory<FluentForwardConfig> {

  @Override
  public String type() {
    return "fluentforward";
  }

  @Override
  public FluentForwardConfig createDefaultConfig() {
    return new FluentForwardConfig();
  }

  @Override
  public void validate(FluentForwardConfig c) {
    HostPort.parse(c.endpoint, "endpoint");
    c.validate();
  }

  @Override
  public Map<String, String> listenAddresses(FluentForwardConfig c) {
    return Map.of("endpoint", c.endpoint);
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.LOGS);
  }

  @Override
  public Receiver create(ComponentSettings s, FluentForwardConfig c, SignalConsumers consumers) {
    return new FluentForwardReceiver(s, c, consumers.get(Signal.LOGS));
  }
}
