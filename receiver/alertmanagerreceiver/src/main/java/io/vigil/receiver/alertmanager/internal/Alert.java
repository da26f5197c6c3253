package io.vigil.receiver.alertmanager.internal;

import java.time.Instant;
import java.util.Map;

/**
 * One alert of a webhook payload, as parsed.
 *
 * @param endsAt null while firing without an end (Alertmanager sends the zero time then)
 */
public record Alert(String status, Map<String, String> labels, Map<String, String> annotations,
    Instant startsAt, Instant endsAt, String generatorUrl, String fingerprint) {

  public boolean resolved() {
    return "resolved".equals(status);
  }

  public String alertname() {
    return labels.get("alertname");
  }
}
