package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.Signal;
import io.vigil.exporter.incidents.chat.ChatResponder;
import io.vigil.exporter.incidents.chat.Intent;
import io.vigil.exporter.incidents.chat.IntentModel;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.internal.TrackerDesk;
import io.vigil.exporter.incidents.response.ResponseEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /vigil run <action> <service> [incident] [--dry-run]}: a person runs a response rule's
 * action (the rule with {@code run_as: <action>}) through the rules' guardrails (dry run,
 * throttle, approval) with the audit entry on the incident's timeline naming who ran it; a
 * real local HTTP server is the action's target. Free text asking for the same runs nothing.
 */
class ChatRunCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static IntentModel model;
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private WebhookTarget target;
  private IncidentsExporter exporter;
  private IncidentsExporterConfig config;
  private ChatResponder chat;

  @BeforeAll
  static void model() {
    model = IntentModel.bundled();
  }

  @AfterAll
  static void closeModel() throws Exception {
    model.close();
  }

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

  /** A rule that never matches by itself: only a person runs it. */
  private ResponseConfig.Rule restartRule() {
    ResponseConfig.Rule r = new ResponseConfig.Rule();
    r.name = "restart-service";
    r.runAs = "restart";
    r.match.service = "no-such-service";
    r.action.url = target.url("/restart");
    r.action.body = "{\"service\": \"${incident.service}\", \"incident\": \"${incident.id}\"}";
    config.response.rules.add(r);
    return r;
  }

  private String start() throws Exception {
    new IncidentsExporterFactory().validate(config);
    exporter = PluginlessExporters.of(config, clock);
    exporter.start();
    chat = new ChatResponder(new TrackerDesk(exporter.tracker(), exporter.response()), model,
        clock);
    exporter.consumer(Signal.LOGS).consume(batch(log("error_surge", "orders", "t1",
        "heap exhausted <*>", T0))).get(5, TimeUnit.SECONDS);
    List<Incident> all = exporter.tracker().list(new IncidentQuery(null, null, null, 10));
    assertThat(all).hasSize(1);
    return all.get(0).id();
  }

  private List<String> audit(String id) {
    return exporter.tracker().get(id).timeline().stream()
        .filter(t -> t.action().equals(ResponseEngine.AUDIT_ACTION))
        .map(TimelineEntry::note).toList();
  }

  @Test
  void aDryRunCallsNothingAndAuditsWhoAskedThenTheRealRunCallsTheTarget() throws Exception {
    restartRule();
    String id = start();
    assertThat(audit(id)).as("the rule did not match by itself").isEmpty();

    ChatResponder.Reply dry = chat.answer("run restart orders --dry-run", "slack:alice");
    assertThat(dry.intent()).isEqualTo(Intent.RUN);
    assertThat(dry.inChannel()).as("a dry run is only shown to the asker").isFalse();
    assertThat(dry.text()).startsWith("rule restart-service (run by slack:alice): dry run: would"
        + " run action 1 POST " + target.url("/restart") + " with {\"service\": \"orders\"");
    assertThat(audit(id)).containsExactly(dry.text());
    assertThat(target.requests).isEmpty();

    ChatResponder.Reply run = chat.answer("run restart orders", "slack:alice");
    assertThat(run.inChannel()).isTrue();
    assertThat(run.text()).contains("action 2 POST " + target.url("/restart") + " started");
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
    assertThat(JSON.readTree(target.requests.get(0).body()).path("service").asText())
        .isEqualTo("orders");
    await().atMost(Duration.ofSeconds(10)).until(() -> audit(id).size() == 2);
    assertThat(audit(id).get(1)).startsWith("rule restart-service (run by slack:alice): action 2"
        + " POST " + target.url("/restart") + " succeeded: HTTP 200");

    // The rule's once_within holds for people too.
    ChatResponder.Reply again = chat.answer("run restart orders " + id.substring(4),
        "slack:bob");
    assertThat(again.text()).startsWith("rule restart-service (run by slack:bob): throttled");
    assertThat(target.requests).hasSize(1);
  }

  @Test
  void anActionThatNeedsApprovalWaitsForIt() throws Exception {
    restartRule().requiresApproval = true;
    String id = start();
    ChatResponder.Reply run = chat.answer("run restart orders", "slack:alice");
    assertThat(run.text()).contains("action 1 POST " + target.url("/restart")
        + " awaits approval");
    assertThat(target.requests).isEmpty();
    chat.answer("approve " + id.substring(4) + " 1", "slack:bob");
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
  }

  @Test
  void refusalsSayWhyAndRunNothing() throws Exception {
    restartRule();
    start();
    assertThat(chat.answer("run scale orders", "alice").text())
        .contains("no response rule runs as \"scale\"; these do: restart");
    assertThat(chat.answer("run restart payments", "alice").text())
        .contains("no active incident on payments");
    assertThat(chat.answer("run restart", "alice").text())
        .startsWith("write `/vigil run <action> <service> [--dry-run]`");
    ChatResponder.Reply free = chat.answer("could you restart orders for me", "alice");
    assertThat(free.ran()).isFalse();
    assertThat(target.requests).isEmpty();
  }
}
