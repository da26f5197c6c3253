package io.vigil.demo.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Switches faults on and off through a demo service's admin endpoint. */
final class FaultSwitch {

  /** Faults switch themselves off this long after their planned end if the generator is gone. */
  private static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);

  private final HttpClient http;
  private final Map<String, URI> services;
  private final ObjectMapper json = new ObjectMapper();

  FaultSwitch(HttpClient http, Map<String, URI> services) {
    this.http = http;
    this.services = services;
  }

  /** Switches the fault on; returns when the service says it became active. */
  Instant on(Scenario.FaultStep step) throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>(step.params());
    body.put("duration_s", step.duration().plus(SAFETY_MARGIN).toMillis() / 1000.0);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(step, "/admin/faults/" + step.kind()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(step.service() + " refused fault " + step.kind() + ": HTTP "
          + r.statusCode() + " " + r.body());
    }
    JsonNode since = json.readTree(r.body()).get("since");
    return since == null ? Instant.now() : Instant.parse(since.asText());
  }

  /** Switches the fault off; returns the moment the service answered. */
  Instant off(Scenario.FaultStep step) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(step, "/admin/faults/" + step.kind()))
            .timeout(Duration.ofSeconds(10)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204 && r.statusCode() != 404) {
      throw new IOException(step.service() + " did not clear fault " + step.kind() + ": HTTP "
          + r.statusCode() + " " + r.body());
    }
    return Instant.now();
  }

  private URI uri(Scenario.FaultStep step, String path) {
    URI base = services.get(step.service());
    if (base == null) {
      throw new IllegalArgumentException("no address for service " + step.service());
    }
    return base.resolve(path);
  }
}
