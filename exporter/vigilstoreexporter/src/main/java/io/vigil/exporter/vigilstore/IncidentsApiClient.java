package io.vigil.exporter.vigilstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Reads incidents from the {@code incidents} exporter's HTTP JSON API, for the console's API to
 * answer from: the browser talks to one origin with one token, and the incidents API can stay
 * on loopback. GET of the list, one incident, its similar incidents and the resolution
 * categories; POST of the state changes (acknowledge, resolve, reopen) and of chat messages.
 *
 * <p>Upstream answers are parsed (so what reaches the page is JSON) and passed on with their
 * status; the incidents API's errors ({@code {"status", "message"}}) become the console's
 * ({@code {"error"}}). A refused token or an API that does not answer is a 502 naming the
 * config key to look at, never a 401, which would make the page ask for the console's token.
 */
final class IncidentsApiClient implements IncidentSource {

  /** Incident IDs as the incidents exporter makes them ({@code inc-7}); nothing to escape. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  /** The state changes the console offers; reclassify and approve stay with the API and chat. */
  static final List<String> ACTIONS = List.of("acknowledge", "resolve", "reopen");
  private static final List<String> LIST_PARAMETERS = List.of("state", "service", "since",
      "limit");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final String token;
  private final HttpClient http;

  IncidentsApiClient(URI base, String token) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public ConsoleApi.Answer list(Map<String, String> parameters) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (String name : LIST_PARAMETERS) {
      String v = parameters.get(name);
      if (v != null && !v.isEmpty()) {
        q.add(name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    return get("/api/incidents" + q, true);
  }

  @Override
  public ConsoleApi.Answer incident(String id) {
    if (!ID.matcher(id).matches()) {
      return ConsoleApi.error(400, "id: not an incident ID: \"" + id + "\"");
    }
    return get("/api/incidents/" + id, false);
  }

  @Override
  public ConsoleApi.Answer similar(String id, int k) {
    if (!ID.matcher(id).matches()) {
      return ConsoleApi.error(400, "id: not an incident ID: \"" + id + "\"");
    }
    return get("/api/incidents/" + id + "/similar?k=" + k, false);
  }

  @Override
  public ConsoleApi.Answer act(String id, String action, ObjectNode body) {
    if (!ID.matcher(id).matches()) {
      return ConsoleApi.error(400, "id: not an incident ID: \"" + id + "\"");
    }
    if (!ACTIONS.contains(action)) {
      return ConsoleApi.error(404, "no action " + action + " (" + String.join(", ", ACTIONS)
          + ")");
    }
    return send("/api/incidents/" + id + "/" + action, body, false);
  }

  @Override
  public ConsoleApi.Answer categories() {
    return get("/api/categories", false);
  }

  @Override
  public ConsoleApi.Answer chat(ObjectNode message) {
    return send("/api/chat/messages", message, false);
  }

  private ConsoleApi.Answer get(String pathAndQuery, boolean markConfigured) {
    return send(pathAndQuery, null, markConfigured);
  }

  /** GET without a body, POST with one. */
  private ConsoleApi.Answer send(String pathAndQuery, ObjectNode body, boolean markConfigured) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(TIMEOUT).header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return ConsoleApi.error(502, "the incidents API at " + base + " (console::incidents_api)"
          + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ConsoleApi.error(503, "interrupted while asking the incidents API");
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      return ConsoleApi.error(502, "the incidents API at " + base + " refused the console's"
          + " token (console::incidents_api_token): HTTP " + status);
    }
    JsonNode answer;
    try {
      answer = LuceneDocuments.JSON.readTree(response.body());
    } catch (IOException e) {
      return ConsoleApi.error(502, "the incidents API at " + base + " answered HTTP " + status
          + " with something that is not JSON");
    }
    if (status != 200) {
      String message = answer.path("message").asText("HTTP " + status);
      // 400, 404 and 409 mean what they say; anything else is the incidents API's own failure.
      return ConsoleApi.error(status == 404 || status == 400 || status == 409 ? status : 502,
          "incidents API: " + message);
    }
    if (markConfigured && answer instanceof ObjectNode o) {
      o.put("configured", true);
    }
    return ConsoleApi.ok(answer);
  }
}
