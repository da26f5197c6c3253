package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static io.vigil.exporter.incidents.AnomalyRecords.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.core.Signal;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications to a chat's incoming webhook ({@code chat::notify_url}) when incidents open,
 * get more severe, are acknowledged, resolved and reopened: a real local HTTP server stands in
 * for Slack's and Mattermost's webhook and receives each platform's payload.
 */
class ChatNotificationsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private WebhookTarget chat;
  private IncidentsExporter exporter;
  private IncidentsExporterConfig config;

  @BeforeEach
  void target() throws Exception {
    chat = new WebhookTarget();
    config = new IncidentsExporterConfig();
    config.directory = dir.toString();
    config.api.endpoint = "";
    config.chat.notifyUrl = chat.url("/hooks/incoming");
  }

  @AfterEach
  void stop() {
    chat.close();
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
  }

  private void start() throws Exception {
    new IncidentsExporterFactory().validate(config);
    exporter = PluginlessExporters.of(config, clock);
    exporter.start();
  }

  private void send(LogRecord... records) throws Exception {
    exporter.consumer(Signal.LOGS).consume(batch(records)).get(5, TimeUnit.SECONDS);
  }

  private static LogRecord surge(String service, String template, Instant at) {
    return log("error_surge", service, "t-" + template.hashCode(), template, at);
  }

  private String only() {
    List<Incident> all = exporter.tracker().list(new IncidentQuery(null, null, null, 10));
    assertThat(all).hasSize(1);
    return all.get(0).id();
  }

  /** The n-th message (from 1) once it has arrived, and that no other came with it. */
  private JsonNode message(int n) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> chat.requests.size() >= n);
    assertThat(chat.requests).as("messages so far").hasSize(n);
    assertThat(chat.requests.get(n - 1).path()).isEqualTo("/hooks/incoming");
    return JSON.readTree(chat.requests.get(n - 1).body());
  }

  private static String slackText(JsonNode msg) {
    return msg.path("blocks").get(0).path("text").path("text").asText();
  }

  @Test
  void slackIsToldOfOpeningEscalationAcknowledgementResolutionAndReopening() throws Exception {
    start();
    send(surge("orders", "db timeout after <*> ms", T0));
    String id = only();
    JsonNode opened = message(1);
    assertThat(opened.path("text").asText()).startsWith(id + " opened: ").endsWith("(high; orders)");
    assertThat(slackText(opened)).startsWith(":rotating_light: *" + id + " opened* · *high*\n")
        .contains("db timeout after <*> ms");
    JsonNode context = opened.path("blocks").get(1);
    assertThat(context.path("type").asText()).isEqualTo("context");
    assertThat(context.path("elements").get(0).path("text").asText())
        .contains("state open").contains("services orders")
        .contains("`/vigil show " + id.substring(4) + "`");

    // More evidence of the same severity is not news; a metric anomaly beside the logs makes
    // it critical, which is.
    send(surge("orders", "pool exhausted <*>", T0.plusSeconds(5)));
    send(metric("orders", "http.server.request.duration{route=/api/orders}", 0.99,
        T0.plusSeconds(10)));
    assertThat(exporter.tracker().get(id).severity()).isEqualTo(Severity.CRITICAL);
    JsonNode escalated = message(2);
    assertThat(slackText(escalated)).startsWith(":arrow_up: *" + id + " is now critical*");

    exporter.tracker().acknowledge(id, "slack:alice", "looking");
    assertThat(slackText(message(3))).startsWith(":eyes: *" + id + " acknowledged*")
        .contains("by slack:alice: looking");
    exporter.tracker().resolve(id, "slack:alice", "database", "index added");
    assertThat(slackText(message(4))).startsWith(":white_check_mark: *" + id + " resolved*")
        .contains("by slack:alice: database: index added");
    exporter.tracker().reopen(id, "bob", "it is back");
    assertThat(slackText(message(5))).startsWith(":rotating_light: *" + id + " reopened*")
        .contains("by bob: it is back");
  }

  @Test
  void mattermostGetsAnAttachmentWithFields() throws Exception {
    config.chat.notifyFormat = "mattermost";
    start();
    send(surge("payments", "card declined <*>", T0));
    String id = only();
    JsonNode msg = message(1);
    assertThat(msg.has("blocks")).as("Mattermost renders no blocks").isFalse();
    assertThat(msg.path("text").asText()).startsWith(id + " opened: ");
    JsonNode a = msg.path("attachments").get(0);
    assertThat(a.path("title").asText()).isEqualTo(id + " opened");
    assertThat(a.path("color").asText()).isEqualTo("#d00000");
    assertThat(a.path("fallback").asText()).isEqualTo(msg.path("text").asText());
    assertThat(a.path("text").asText()).contains("card declined <*>");
    assertThat(a.path("fields").findValuesAsText("title"))
        .containsExactly("Severity", "State", "Services", "Cause");
    assertThat(a.path("fields").findValuesAsText("value"))
        .containsExactly("high", "open", "payments", "unclassified");
    assertThat(a.path("footer").asText()).isEqualTo("/vigil show " + id.substring(4)
        + " · /vigil why " + id.substring(4));
  }

  @Test
  void notifyOnChoosesWhatIsTold() throws Exception {
    config.chat.notifyOn = List.of("resolved");
    start();
    send(surge("orders", "db timeout after <*> ms", T0));
    String id = only();
    exporter.tracker().acknowledge(id, "alice", null);
    exporter.tracker().resolve(id, "alice", "database", "index added");
    JsonNode msg = message(1);
    assertThat(msg.path("text").asText()).startsWith(id + " resolved: ");
  }

  @Test
  void aChatThatFailsLosesNoIncident() throws Exception {
    chat.status = 500;
    start();
    send(surge("orders", "db timeout after <*> ms", T0));
    String id = only();
    await().atMost(Duration.ofSeconds(10)).until(() -> chat.requests.size() == 1);
    assertThat(exporter.tracker().acknowledge(id, "alice", null).state())
        .isEqualTo(IncidentState.ACKNOWLEDGED);
    await().atMost(Duration.ofSeconds(10)).until(() -> chat.requests.size() == 2);
  }
}
