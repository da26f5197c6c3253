package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.core.Signal;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.response.ResponseEngine;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response rules end to end inside the exporter: anomaly records in, incidents opened, the
 * webhook action called on a real local HTTP server with the templated JSON, and each guardrail
 * (dry run, once_within, circuit breaker, max_concurrent, approval through the API) proven by
 * what the server received and what the incident's timeline says.
 */
class ResponseRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private final HttpClient http = HttpClient.newHttpClient();
  private WebhookTarget target;
  private IncidentsExporter exporter;
  private IncidentsExporterConfig config;

  @BeforeEach
  void target() throws Exception {
    target = new WebhookTarget();
    config = new IncidentsExporterConfig();
    config.directory = dir.toString();
    config.api.endpoint = "";
  }

  @AfterEach
  void stop() {
    target.close();
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
  }

  private ResponseConfig.Rule rule(String name) {
    ResponseConfig.Rule r = new ResponseConfig.Rule();
    r.name = name;
    r.action.url = target.url("/hooks/" + name);
    r.action.body = "{\"id\": \"${incident.id}\", \"service\": \"${incident.service}\","
        + " \"severity\": \"${incident.severity}\", \"title\": \"${incident.title}\","
        + " \"rule\": \"${rule.name}\"}";
    config.response.rules.add(r);
    return r;
  }

  private void start() throws Exception {
    new IncidentsExporterFactory().validate(config);
    exporter = PluginlessExporters.of(config, clock);
    exporter.start();
  }

  private void send(LogRecord... records) throws Exception {
    exporter.consumer(Signal.LOGS).consume(batch(records)).get(5, TimeUnit.SECONDS);
  }

  /** An error surge on {@code service} (the record's window ends at {@code at}). */
  private static LogRecord surge(String service, Instant at) {
    return log("error_surge", service, "t-" + service, "db said \"timeout\" after <*> ms", at);
  }

  private List<String> audit(String id) {
    return exporter.tracker().get(id).timeline().stream()
        .filter(t -> t.action().equals(ResponseEngine.AUDIT_ACTION))
        .map(TimelineEntry::note).toList();
  }

  private String only() {
    List<Incident> all = exporter.tracker().list(new IncidentQuery(null, null, null, 10));
    assertThat(all).hasSize(1);
    return all.get(0).id();
  }

  @Test
  void webhookReceivesTheTemplatedJsonAndTheTimelineAuditsIt() throws Exception {
    rule("page").match.severity = "high";
    start();
    send(surge("orders", T0));
    String id = only();

    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
    WebhookTarget.Request req = target.requests.get(0);
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.path()).isEqualTo("/hooks/page");
    JsonNode body = JSON.readTree(req.body());
    assertThat(body.path("id").asText()).isEqualTo(id);
    assertThat(body.path("service").asText()).isEqualTo("orders");
    assertThat(body.path("severity").asText()).isEqualTo("high");
    assertThat(body.path("rule").asText()).isEqualTo("page");
    assertThat(body.path("title").asText()).as("quotes in the title stay inside the string")
        .contains("db said \"timeout\"");

    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 1);
    assertThat(audit(id).get(0)).startsWith("rule page: action 1 POST " + target.url("/hooks/page")
        + " succeeded: HTTP 200").contains("inputs: severity=high services=[orders]"
        + " cause=unclassified kinds=[error_surge] state=open");
  }

  @Test
  void ruleThatDoesNotMatchCallsNothingAndWritesNothing() throws Exception {
    rule("payments-only").match.service = "payments";
    rule("critical-only").match.severity = "critical";
    rule("metric-only").match.kinds = List.of("metric_anomaly");
    rule("other-text").match.text = "disk full";
    start();
    send(surge("orders", T0));
    assertThat(audit(only())).isEmpty();
    assertThat(target.requests).isEmpty();
  }

  @Test
  void dryRunCallsNothingAndTheTimelineSaysWhatWouldHaveRun() throws Exception {
    config.response.dryRun = true;
    rule("page");
    start();
    send(surge("orders", T0));
    String id = only();
    // Dry-run decisions are written before the batch's future completes: no waiting needed.
    assertThat(audit(id)).singleElement().asString()
        .startsWith("rule page: dry run: would run action 1 POST " + target.url("/hooks/page")
            + " with {\"id\": \"" + id + "\", \"service\": \"orders\"");
    assertThat(target.requests).isEmpty();
  }

  @Test
  void onceWithinActsOncePerIncidentUntilTheTimePasses() throws Exception {
    rule("page").onceWithin = Duration.ofMinutes(30);
    start();
    send(surge("orders", T0));
    String id = only();
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 1);

    clock.advance(Duration.ofMinutes(10));
    send(surge("orders", T0.plusSeconds(60)).toBuilder().setBody(
        io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("again")).build());
    assertThat(only()).as("the record joined the incident").isEqualTo(id);
    assertThat(audit(id)).hasSize(2);
    assertThat(audit(id).get(1)).startsWith("rule page: throttled: acted at " + T0
        + ", once_within PT30M per incident");
    assertThat(target.requests).hasSize(1);

    clock.advance(Duration.ofMinutes(21));
    send(log("new_template", "orders", "t2", "pool exhausted", T0.plusSeconds(120)));
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 3);
    assertThat(audit(id).get(2)).startsWith("rule page: action 2 POST");
  }

  @Test
  void oncePerServiceThrottlesAcrossTheServicesIncidents() throws Exception {
    ResponseConfig.Rule r = rule("page");
    r.oncePer = "service";
    config.groupWindow = Duration.ofMinutes(1);
    start();
    send(surge("orders", T0));
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
    // An hour later by record time: beyond group_window, so a second incident on orders.
    send(log("new_template", "orders", "t2", "pool exhausted", T0.plusSeconds(3600)));
    List<Incident> all = exporter.tracker().list(new IncidentQuery(null, null, null, 10));
    assertThat(all).hasSize(2);
    String second = all.stream().filter(i -> audit(i.id()).stream()
        .anyMatch(n -> n.contains("throttled"))).findFirst().orElseThrow().id();
    assertThat(audit(second)).singleElement().asString().contains("per service");
    assertThat(target.requests).hasSize(1);
  }

  @Test
  void circuitOpensAfterFailuresAndClosesAfterTheCoolDown() throws Exception {
    config.response.circuitBreaker.failures = 2;
    config.response.circuitBreaker.coolDown = Duration.ofMinutes(5);
    rule("page").onceWithin = Duration.ofSeconds(1);
    target.status = 500;
    start();
    String[] services = {"a", "b", "c", "d"};
    for (int i = 0; i < 2; i++) {
      send(surge(services[i], T0));
      int calls = i + 1;
      await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == calls);
      String id = exporter.tracker().list(new IncidentQuery(null, services[i], null, 1)).get(0)
          .id();
      await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 1);
      assertThat(audit(id).get(0)).contains("failed: HTTP 500");
      if (i == 1) {
        assertThat(audit(id).get(0)).contains("circuit for http://127.0.0.1:")
            .contains("opens for PT5M");
      }
    }
    send(surge("c", T0));
    String c = exporter.tracker().list(new IncidentQuery(null, "c", null, 1)).get(0).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(c).size() == 1);
    assertThat(audit(c).get(0)).contains("not run: circuit open for http://127.0.0.1:")
        .contains("(2 consecutive failures)");
    assertThat(target.requests).as("the open circuit called nothing").hasSize(2);

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    target.status = 200;
    send(surge("d", T0));
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 3);
    String d = exporter.tracker().list(new IncidentQuery(null, "d", null, 1)).get(0).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(d).size() == 1);
    assertThat(audit(d).get(0)).contains("succeeded: HTTP 200");
  }

  @Test
  void targetThatDoesNotAnswerWithinTheTimeoutIsAFailure() throws Exception {
    rule("page").action.timeout = Duration.ofMillis(300);
    target.hold = new CountDownLatch(1);
    start();
    send(surge("orders", T0));
    String id = only();
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 1);
    assertThat(audit(id).get(0)).contains("failed: java.net.http.HttpTimeoutException");
  }

  @Test
  void noMoreThanMaxConcurrentActionsRunAtOnce() throws Exception {
    config.response.maxConcurrent = 2;
    rule("page");
    target.hold = new CountDownLatch(1);
    start();
    for (String s : List.of("a", "b", "c", "d")) {
      send(surge(s, T0));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> target.inFlight.get() == 2);
    // Two are held at the target; the other two must wait their turn, not start.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
        .until(() -> target.requests.size() == 2);
    target.hold.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 4);
    assertThat(target.maxInFlight.get()).isEqualTo(2);
  }

  @Test
  void approvalRequiredActionWaitsUntilApprovedThroughTheApi() throws Exception {
    config.api.endpoint = FreePort.endpoint();
    rule("restart").requiresApproval = true;
    start();
    send(surge("orders", T0));
    String id = only();
    assertThat(audit(id)).singleElement().asString().startsWith("rule restart: action 1 POST "
        + target.url("/hooks/restart") + " awaits approval (POST /api/incidents/" + id
        + "/actions/1/approve)");
    assertThat(target.requests).isEmpty();

    HttpResponse<String> approved = approve(id, 1);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 3);
    assertThat(audit(id).get(1)).isEqualTo("rule restart: action 1 POST "
        + target.url("/hooks/restart") + " approved by alice");
    assertThat(audit(id).get(2)).contains("succeeded: HTTP 200");

    HttpResponse<String> again = approve(id, 1);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.body()).contains("has no action 1 awaiting approval");
    assertThat(approve("inc-999", 1).statusCode()).isEqualTo(404);
    assertThat(target.requests).hasSize(1);
  }

  @Test
  void anActionAwaitingApprovalIsAnnouncedOnTheChatsIncomingWebhook() throws Exception {
    try (WebhookTarget chat = new WebhookTarget()) {
      config.chat.notifyUrl = chat.url("/services/T1/B1/x");
      // Approvals only: the incident's opening is told too by default (ChatNotificationsTest).
      config.chat.notifyOn = List.of("approval");
      rule("restart").requiresApproval = true;
      rule("page");
      start();
      send(surge("orders", T0));
      String id = only();

      await().atMost(Duration.ofSeconds(10)).until(() -> chat.requests.size() == 1);
      JsonNode msg = JSON.readTree(chat.requests.get(0).body());
      assertThat(msg.path("blocks").get(0).path("text").path("text").asText())
          .startsWith(":raised_hand: *Approval needed*\n" + id + " (");
      assertThat(msg.path("text").asText()).startsWith(id + " (").contains("orders")
          .contains("rule restart wants to run action 1 POST " + target.url("/hooks/restart"))
          .endsWith("Approve with `/vigil approve " + id.substring(4) + " 1`.");
      assertThat(msg.has("response_type")).as("an incoming webhook's message").isFalse();
      // The rule that needs no approval ran without a notification.
      await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
      assertThat(chat.requests).hasSize(1);
    }
  }

  @Test
  void commandActionRunsTheAllowListedProgramAndAuditsItsOutput() throws Exception {
    config.response.commands.allowed = List.of("/usr/bin/printf");
    config.response.commands.maxOutput = 60;
    ResponseConfig.Rule r = new ResponseConfig.Rule();
    r.name = "runbook";
    r.action.type = "command";
    r.action.argv = List.of("/usr/bin/printf", "restart %s for %s", "${incident.service}",
        "${incident.id}");
    config.response.rules.add(r);
    start();
    send(surge("orders", T0));
    String id = only();
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 1);
    assertThat(audit(id).get(0)).startsWith("rule runbook: action 1 command /usr/bin/printf"
        + " succeeded: exit 0 in ").contains(": restart orders for " + id + "; inputs:");
  }

  private HttpResponse<String> approve(String id, int n) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + config.api.endpoint
            + "/api/incidents/" + id + "/actions/" + n + "/approve"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"by\": \"alice\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
