package io.vigil.exporter.incidents.response;

import java.net.URI;
import java.time.Duration;

/** A rendered webhook call: what an action sends, fixed when the rule decided to act. */
record WebhookRequest(String method, URI url, String body, Duration timeout) {

  /** What the circuit breaker keys on: a failing host fails for every rule that calls it. */
  String target() {
    return url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
  }

  String describe() {
    return method + " " + url;
  }
}
