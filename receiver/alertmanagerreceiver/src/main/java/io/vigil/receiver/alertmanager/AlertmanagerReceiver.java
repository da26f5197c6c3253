package io.vigil.receiver.alertmanager;

import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.SignalConsumers;
import io.vigil.receiver.alertmanager.internal.WebhookServer;
import java.time.Clock;
import java.time.Instant;

/** Serves the webhook and feeds the logs pipelines that list this receiver. */
final class AlertmanagerReceiver implements Receiver {

  private final WebhookServer server;

  AlertmanagerReceiver(ComponentSettings settings, AlertmanagerReceiverConfig config,
      SignalConsumers consumers) {
    server = new WebhookServer(config.endpoint,
        config.tls == null ? null : config.tls.load("tls"), config.path, config.authToken,
        config.maxRequestBodySize, consumers, settings.telemetry().receiver(settings.id(), "http"),
        settings.logger(AlertmanagerReceiver.class), Clock.systemUTC());
  }

  @Override
  public void start() {
    server.start();
  }

  @Override
  public void shutdown(Instant deadline) {
    server.shutdown(deadline);
  }

  /** The bound port, for tests that listen on port 0. */
  int port() {
    return server.port();
  }
}
