package io.vigil.exporter.incidents.response;

import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.command.CommandActions;
import io.vigil.exporter.incidents.response.kubernetes.KubernetesActions;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** Renders a rule's action for an incident, by the action's type. */
final class Actions implements AutoCloseable {

  private final WebhookCaller webhooks;
  private final KubernetesActions kubernetes;
  private final CommandActions commands;
  private final Clock clock;

  Actions(ResponseConfig config, Clock clock) {
    this.clock = clock;
    this.webhooks = new WebhookCaller(config.tls);
    this.kubernetes = new KubernetesActions(config.kubernetes, clock);
    this.commands = new CommandActions(config.commands);
  }

  /** Throws {@code ActionRefusedException} when a rendered value cannot be used safely. */
  ActionCall prepare(ResponseConfig.Action a, Map<String, String> values) {
    if (KubernetesActions.TYPES.contains(a.type)) {
      return kubernetes.prepare(a, values);
    }
    if (a.type.equals("command")) {
      return commands.prepare(a, values);
    }
    if (a.type.equals("alertmanager")) {
      return new WebhookAction(new WebhookRequest("POST", AlertmanagerAlert.endpoint(a.url),
          AlertmanagerAlert.body(a, values, clock.instant()), a.timeout), webhooks);
    }
    return new WebhookAction(new WebhookRequest(a.method, URI.create(a.url),
        BodyTemplate.render(a.body == null ? "" : a.body, values), a.timeout), webhooks);
  }

  @Override
  public void close() {
    kubernetes.close();
    webhooks.close();
  }
}
