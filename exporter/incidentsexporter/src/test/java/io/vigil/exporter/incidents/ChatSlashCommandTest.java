package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.Signal;
import io.vigil.exporter.incidents.chat.SlashCommandEndpoint;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slash-command endpoint end to end over HTTP: requests signed as Slack signs them (or
 * carrying Mattermost's token) reach the exporter's API, each command answers from or changes
 * the real tracker, and every request that cannot prove its origin, or is replayed, is refused
 * without touching anything.
 */
class ChatSlashCommandTest {

  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  // The wall clock: the replay window is measured against real Slack timestamps.
  private final java.time.Clock clock = java.time.Clock.systemUTC();
  private final HttpClient http = HttpClient.newHttpClient();
  private WebhookTarget target;
  private IncidentsExporter exporter;
  private IncidentsExporterConfig config;
  private String orders;
  private String payments;
  /** Where follow-ups to the commands' response_url go. */
  private WebhookTarget slackHooks;

  @BeforeEach
  void start() throws Exception {
    target = new WebhookTarget();
    slackHooks = new WebhookTarget();
    config = new IncidentsExporterConfig();
    config.directory = dir.toString();
    config.api.endpoint = FreePort.endpoint();
    config.api.token = "api-token-not-used-by-chat";
    config.chat.slackSigningSecret = SECRET;
    config.chat.mattermostToken = "mm-token";
    ResponseConfig.Rule r = new ResponseConfig.Rule();
    r.name = "restart-payments";
    r.match.service = "payments";
    r.action.url = target.url("/restart");
    r.requiresApproval = true;
    config.response.rules.add(r);
    new IncidentsExporterFactory().validate(config);
    exporter = PluginlessExporters.of(config, clock);
    exporter.start();
    Instant now = Instant.now();
    exporter.consumer(Signal.LOGS).consume(batch(
        log("error_surge", "orders", "t1", "db said timeout after <*> ms", now),
        log("new_template", "payments", "t2", "card processor refused <*>", now)))
        .get(5, TimeUnit.SECONDS);
    orders = exporter.tracker().list(new IncidentQuery(null, "orders", null, 1)).get(0).id();
    payments = exporter.tracker().list(new IncidentQuery(null, "payments", null, 1)).get(0)
        .id();
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now().plusSeconds(2));
    target.close();
    slackHooks.close();
  }

  private static final java.util.concurrent.atomic.AtomicInteger TRIGGERS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** A body as Slack posts it; its trigger_id differs per invocation, as Slack's does. */
  private String form(String text, String user) {
    return "token=ignored-by-slack&team_id=T1&channel_name=incidents&trigger_id=13345224609."
        + TRIGGERS.incrementAndGet() + "&user_name="
        + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&command=%2Fvigil&text="
        + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + "&response_url=" + URLEncoder.encode(slackHooks.url("/commands/1"),
            StandardCharsets.UTF_8);
  }

  static String sign(String secret, long ts, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + ts + ":" + body)
        .getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> post(String body, String signature, long ts) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + config.api.endpoint
            + SlashCommandEndpoint.PATH))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      b.header("X-Slack-Signature", signature).header("X-Slack-Request-Timestamp", "" + ts);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code /vigil text} as Slack would and returns the message it answers with. */
  private JsonNode slack(String text) throws Exception {
    String body = form(text, "alice");
    long ts = Instant.now().getEpochSecond();
    int seen = slackHooks.requests.size();
    HttpResponse<String> r = post(body, sign(SECRET, ts, body), ts);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode reply = JSON.readTree(r.body());
    if (!reply.path("text").asText().startsWith("Working on it")) {
      return reply;
    }
    // Not ready within reply_within (a loaded machine still building the intent model): the
    // answer follows on the response_url, as Slack would receive it.
    await().atMost(Duration.ofSeconds(90)).until(() -> slackHooks.requests.size() > seen);
    return JSON.readTree(slackHooks.requests.get(seen).body());
  }

  private static String n(String id) {
    return id.substring("inc-".length());
  }

  private IncidentState state(String id) {
    return exporter.tracker().get(id).state();
  }

  @Test
  void incidentsListsTheActiveOnes() throws Exception {
    JsonNode r = slack("incidents");
    assertThat(r.path("response_type").asText()).isEqualTo("ephemeral");
    assertThat(r.path("text").asText()).startsWith("2 active incidents:")
        .contains("`" + orders + "` *high* open").contains("`" + payments + "`");
  }

  @Test
  void showWhyAndSimilarAnswerAboutOneIncident() throws Exception {
    assertThat(slack("show " + n(orders)).path("text").asText()).startsWith("*" + orders + "* ")
        .contains("state open, severity high, services orders");
    assertThat(slack("why inc-" + n(payments)).path("text").asText())
        .contains("probable cause unclassified; it started on payments")
        .contains("Evidence (new_template)").contains("card processor refused")
        .contains("Automated response:").contains("awaits approval");
    assertThat(slack("similar " + n(orders)).path("text").asText())
        .isEqualTo("Nothing similar to " + orders + " in the history.");
    assertThat(slack("show 999").path("text").asText())
        .isEqualTo("Could not show: no incident with id \"inc-999\"");
  }

  @Test
  void ackAndResolveChangeTheIncidentInTheChannelsView() throws Exception {
    JsonNode ack = slack("ack " + n(orders) + " looking at the pool");
    assertThat(ack.path("response_type").asText()).isEqualTo("in_channel");
    assertThat(ack.path("text").asText()).startsWith(orders + " acknowledged by slack:alice");
    assertThat(state(orders)).isEqualTo(IncidentState.ACKNOWLEDGED);
    TimelineEntry last = exporter.tracker().get(orders).timeline().get(
        exporter.tracker().get(orders).timeline().size() - 1);
    assertThat(last.actor()).isEqualTo("slack:alice");
    assertThat(last.note()).isEqualTo("looking at the pool");

    assertThat(slack("ack " + n(orders)).path("text").asText()).startsWith("Could not ack:");

    JsonNode resolved = slack("resolve " + n(orders) + " database: added the missing index");
    assertThat(resolved.path("text").asText()).isEqualTo(orders + " resolved by slack:alice"
        + " (database): added the missing index");
    Incident i = exporter.tracker().get(orders);
    assertThat(i.state()).isEqualTo(IncidentState.RESOLVED);
    assertThat(i.resolution().category()).isEqualTo("database");

    assertThat(slack("resolve " + n(payments)).path("text").asText())
        .contains("a resolution needs a note");
    assertThat(state(payments)).isEqualTo(IncidentState.OPEN);
  }

  @Test
  void statusSummarisesAService() throws Exception {
    assertThat(slack("status payments").path("text").asText())
        .startsWith("payments: 1 active incident:").contains(payments);
    assertThat(slack("status shipping").path("text").asText())
        .isEqualTo("shipping: no active incidents.");
  }

  @Test
  void approveRunsTheActionThatAwaitsApproval() throws Exception {
    assertThat(target.requests).isEmpty();
    JsonNode r = slack("approve " + n(payments) + " 1");
    assertThat(r.path("text").asText()).startsWith("Action 1 of " + payments
        + " approved by slack:alice; it runs now");
    await().atMost(Duration.ofSeconds(10)).until(() -> target.requests.size() == 1);
    assertThat(exporter.tracker().get(payments).timeline()).anyMatch(t ->
        t.note() != null && t.note().endsWith("approved by slack:alice"));
    assertThat(slack("approve " + n(payments) + " 1").path("text").asText())
        .startsWith("Could not approve: incident " + payments + " has no action 1 awaiting");
  }

  @Test
  void helpListsTheCommands() throws Exception {
    assertThat(slack("help").path("text").asText()).contains("`/vigil ack 12 [note]`")
        .contains("`/vigil approve 12 1`");
    assertThat(slack("").path("text").asText()).contains("`/vigil incidents`");
  }

  @Test
  void freeTextLooksUpButNeverChangesAnything() throws Exception {
    JsonNode status = slack("what's broken in payments?");
    assertThat(status.path("text").asText()).startsWith("_(read as `/vigil status payments`)_")
        .contains("payments: 1 active incident");

    JsonNode ack = slack("ack the orders one");
    assertThat(ack.path("text").asText()).startsWith("To acknowledge " + orders + " (orders"
        + " logged").endsWith("), send `/vigil ack " + n(orders) + "`. Nothing was changed: I"
        + " act only on exact commands.");
    assertThat(state(orders)).isEqualTo(IncidentState.OPEN);

    JsonNode approve = slack("go ahead with action 1 on " + n(payments));
    assertThat(approve.path("text").asText()).contains("send `/vigil approve " + n(payments)
        + " 1`");
    assertThat(target.requests).isEmpty();

    assertThat(slack("what's for lunch").path("text").asText())
        .startsWith("I'm not sure what you mean by \"what's for lunch\".");
  }

  @Test
  void mattermostTokenIsAccepted() throws Exception {
    HttpResponse<String> r = post("token=mm-token&user_name=bob&command=%2Fvigil&text=ack+"
        + n(orders), null, 0);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("acknowledged by mattermost:bob");
    assertThat(state(orders)).isEqualTo(IncidentState.ACKNOWLEDGED);
  }

  @Test
  void requestsThatCannotProveTheirOriginAreRefused() throws Exception {
    String body = form("ack " + n(orders), "mallory");
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> wrongSecret = post(body, sign("not-the-secret", now, body), now);
    assertThat(wrongSecret.statusCode()).isEqualTo(401);
    assertThat(wrongSecret.body()).contains("X-Slack-Signature does not match the body");

    String other = form("resolve " + n(orders) + " x", "mallory");
    HttpResponse<String> tampered = post(other, sign(SECRET, now, body), now);
    assertThat(tampered.statusCode()).as("a signature of another body").isEqualTo(401);

    long old = now - 301;
    HttpResponse<String> stale = post(body, sign(SECRET, old, body), old);
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).contains("is more than PT5M from now");
    // Beyond the window by more than the seconds this test takes to get here.
    long future = now + 360;
    assertThat(post(body, sign(SECRET, future, body), future).statusCode()).isEqualTo(401);

    assertThat(post("token=wrong&user_name=m&command=%2Fvigil&text=ack+1", null, 0)
        .statusCode()).isEqualTo(401);
    assertThat(post(body.replace("token=ignored-by-slack&", ""), null, 0).statusCode())
        .as("neither a signature nor a token").isEqualTo(401);
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://"
        + config.api.endpoint + SlashCommandEndpoint.PATH)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(state(orders)).as("nothing refused changed anything").isEqualTo(IncidentState.OPEN);
  }

  @Test
  void aSignedRequestSentAgainIsARefusedReplay() throws Exception {
    String body = form("ack " + n(orders), "alice");
    long ts = Instant.now().getEpochSecond();
    String sig = sign(SECRET, ts, body);
    assertThat(post(body, sig, ts).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post(body, sig, ts);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("already received (replay)");
  }

  @Test
  void theConsoleGetsTheSameConversationAsJsonBehindTheBearerToken() throws Exception {
    URI messages = URI.create("http://" + config.api.endpoint + "/api/chat/messages");
    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(messages)
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"ack " + n(orders) + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(state(orders)).isEqualTo(IncidentState.OPEN);

    HttpResponse<String> r = http.send(HttpRequest.newBuilder(messages)
        .header("Authorization", "Bearer " + config.api.token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"ack " + n(orders)
            + "\", \"by\": \"carol\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode reply = JSON.readTree(r.body());
    assertThat(reply.path("intent").asText()).isEqualTo("ack");
    assertThat(reply.path("ran").asBoolean()).isTrue();
    assertThat(reply.path("text").asText()).startsWith(orders + " acknowledged by console:carol");
    assertThat(state(orders)).isEqualTo(IncidentState.ACKNOWLEDGED);

    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(messages)
        .header("Authorization", "Bearer " + config.api.token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"txt\": 1}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void theIncidentsApiStillWantsItsBearerToken() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://"
        + config.api.endpoint + "/api/incidents")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
  }
}
