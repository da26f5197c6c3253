package io.vigil.receiver.fluentforward;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;

/** The receiver as the tests run it: validated, started, handing its logs to the test. */
final class TestReceivers {

  private TestReceivers() {}

  static FluentForwardReceiver start(FluentForwardConfig c, GatewayTelemetry telemetry,
      Consumer<ExportLogsServiceRequest> logs) {
    new FluentForwardReceiverFactory().validate(c);
    FluentForwardReceiver r = (FluentForwardReceiver) new FluentForwardReceiverFactory().create(
        new ComponentSettings(ComponentKind.RECEIVER, ComponentId.of("fluentforward"), telemetry),
        c, SignalConsumers.builder().put(Signal.LOGS, logs).build());
    r.start();
    return r;
  }

  /** A {@code security::users} entry. */
  static FluentForwardConfig.User user(String name, String password) {
    FluentForwardConfig.User u = new FluentForwardConfig.User();
    u.username = name;
    u.password = password;
    return u;
  }
}
