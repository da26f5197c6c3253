package io.vigil.eval.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Stands in for the on-call engineer of a labelled run: resolves each open incident through the
 * incidents API as a responder who knows the faults would. An incident that started in a
 * fault's window (the {@link FaultIncidentScorer}'s lead and tail) on the faulted service is
 * resolved with the fault's kind as its category; one in a fault's window on another service
 * with {@value #ELSEWHERE} (a real symptom, caused elsewhere); one in no fault's window with
 * {@code false_alarm}. The resolved list, saved with {@code --save}, is what {@code vigil-train
 * --feedback} reads: the refinement cycle's feedback, here with the labels as the judge.
 */
@Command(name = "respond", mixinStandardHelpOptions = true,
    description = "Resolve a labelled run's incidents through the incidents API as a responder"
        + " who knows its faults would (fault kind, caused_elsewhere or false_alarm)")
public final class SimulatedResponder implements Callable<Integer> {

  static final String ELSEWHERE = "caused_elsewhere";
  static final String FALSE_ALARM = "false_alarm";

  @Option(names = "--faults", required = true, description = "the run's faults.jsonl")
  Path faults;

  @Option(names = "--incidents-api", required = true,
      description = "the incidents API's base URL, e.g. http://127.0.0.1:8687")
  URI api;

  @Option(names = "--token", description = "the API's bearer token, if it has one")
  String token;

  @Option(names = "--save", description = "write GET /api/incidents?state=resolved here after")
  Path save;

  @Option(names = "--tail", description = "after a fault's end, still its incidents (default 60s)")
  Duration tail = FaultIncidentScorer.DEFAULT_TAIL;

  @Option(names = "--lead", description = "before a fault's start, still its incidents (default 15s)")
  Duration lead = FaultIncidentScorer.DEFAULT_LEAD;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<FaultLabel> labels = FaultLabel.read(faults);
    JsonNode list = get("/api/incidents?limit=1000");
    int resolved = 0;
    for (JsonNode i : list.path("incidents")) {
      String state = i.path("state").asText();
      if (state.equals("resolved")) {
        continue;
      }
      String category = judge(labels, i.path("origin").asText(),
          Instant.parse(i.path("started_at").asText()));
      post("/api/incidents/" + URLEncoder.encode(i.path("id").asText(), StandardCharsets.UTF_8)
          + "/resolve", JSON.createObjectNode().put("category", category)
          .put("note", "simulated responder: judged from the run's fault labels")
          .put("by", "simulated-responder"));
      System.out.printf("%s %s %s -> %s%n", i.path("id").asText(), i.path("origin").asText(),
          i.path("started_at").asText(), category);
      resolved++;
    }
    System.out.printf("resolved %d incidents%n", resolved);
    if (save != null) {
      Files.writeString(save, JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(get("/api/incidents?state=resolved&limit=1000")) + "\n");
    }
    return 0;
  }

  /** The category a responder who knows the faults gives an incident. */
  String judge(List<FaultLabel> labels, String origin, Instant started) {
    for (FaultLabel f : labels) {
      if (!started.isBefore(f.start().minus(lead)) && !started.isAfter(f.end().plus(tail))) {
        return f.service().equals(origin) ? f.kind() : ELSEWHERE;
      }
    }
    return FALSE_ALARM;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(api.resolve(path))
        .timeout(Duration.ofSeconds(30));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest r) throws IOException, InterruptedException {
    HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() / 100 != 2) {
      throw new IOException(r.method() + " " + r.uri() + " answered " + resp.statusCode() + ": "
          + resp.body());
    }
    return JSON.readTree(resp.body());
  }
}
