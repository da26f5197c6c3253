package io.vigil.receiver.alertmanager.internal;

import java.util.List;
import java.util.Map;

/** An Alertmanager webhook notification, payload version 4, as parsed. */
public record WebhookPayload(String groupKey, String status, String receiver,
    Map<String, String> commonLabels, String externalUrl, List<Alert> alerts) {}
