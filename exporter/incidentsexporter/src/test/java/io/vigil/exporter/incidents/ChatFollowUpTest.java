package io.vigil.exporter.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.exporter.incidents.chat.ChatResponder;
import io.vigil.exporter.incidents.chat.EmptyDesk;
import io.vigil.exporter.incidents.chat.IncidentDesk;
import io.vigil.exporter.incidents.chat.IntentModel;
import io.vigil.exporter.incidents.chat.SlashCommandEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A slash command's answer that is not ready in time: the command gets "working on it" within
 * {@code chat::reply_within}, and the answer is POSTed to its {@code response_url} (a real local
 * HTTP server standing in for Slack) when it is ready.
 */
class ChatFollowUpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch storeAnswers = new CountDownLatch(1);
  private final AtomicInteger listing = new AtomicInteger();
  private WebhookTarget slack;
  private HttpServer api;

  /** A store that answers a list only when the test lets it. */
  private final IncidentDesk slowDesk = new EmptyDesk() {
    @Override
    public List<Incident> list(IncidentQuery query) {
      listing.incrementAndGet();
      try {
        storeAnswers.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }
  };

  @BeforeEach
  void start() throws Exception {
    slack = new WebhookTarget();
    ChatConfig config = new ChatConfig();
    config.mattermostToken = "mm-token";
    config.replyWithin = Duration.ofMillis(300);
    ChatResponder responder = new ChatResponder(slowDesk, IntentModel::bundled,
        Clock.systemUTC());
    api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    api.createContext(SlashCommandEndpoint.PATH, new SlashCommandEndpoint(config, responder,
        Clock.systemUTC(), LoggerFactory.getLogger(ChatFollowUpTest.class)));
    api.start();
  }

  @AfterEach
  void stop() {
    storeAnswers.countDown();
    api.stop(0);
    slack.close();
  }

  private HttpResponse<String> slash(String text, String responseUrl) throws Exception {
    String form = "token=mm-token&user_name=alice&command=%2Fvigil&text="
        + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + (responseUrl == null ? "" : "&response_url="
            + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + api.getAddress().getPort() + SlashCommandEndpoint.PATH))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSlowAnswerIsAcknowledgedInTimeAndPostedToTheResponseUrlLater() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> first = slash("incidents", slack.url("/commands/1234/abcd"));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(tookMs).as("Slack gives up after 3 s").isLessThan(3000);
    JsonNode reply = JSON.readTree(first.body());
    assertThat(reply.path("response_type").asText()).isEqualTo("ephemeral");
    assertThat(reply.path("text").asText()).startsWith("Working on it");
    assertThat(slack.requests).as("nothing posted while the store is slow").isEmpty();

    storeAnswers.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> slack.requests.size() == 1);
    WebhookTarget.Request followUp = slack.requests.get(0);
    assertThat(followUp.method()).isEqualTo("POST");
    assertThat(followUp.path()).isEqualTo("/commands/1234/abcd");
    JsonNode body = JSON.readTree(followUp.body());
    assertThat(body.path("text").asText()).isEqualTo("No active incidents.");
    assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
    assertThat(body.path("replace_original").asBoolean(true)).isFalse();
  }

  @Test
  void aQuickAnswerGoesBackInTheResponseAndNothingIsPosted() throws Exception {
    HttpResponse<String> quick = slash("help", slack.url("/commands/quick"));
    assertThat(JSON.readTree(quick.body()).path("text").asText()).contains("/vigil incidents");
    HttpResponse<String> slow = slash("incidents", slack.url("/commands/slow"));
    assertThat(JSON.readTree(slow.body()).path("text").asText()).startsWith("Working on it");
    storeAnswers.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> !slack.requests.isEmpty());
    // Had the quick answer been posted too, it would have been sent first.
    assertThat(slack.requests).extracting(WebhookTarget.Request::path)
        .containsExactly("/commands/slow");
  }

  @Test
  void withoutAResponseUrlTheAnswerIsAwaitedPastReplyWithin() throws Exception {
    Thread releaser = new Thread(() -> {
      await().atMost(Duration.ofSeconds(10)).until(() -> listing.get() > 0);
      // Past reply_within (300 ms), so a deferral would have answered "working on it".
      await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
      storeAnswers.countDown();
    });
    releaser.start();
    HttpResponse<String> r = slash("incidents", null);
    assertThat(JSON.readTree(r.body()).path("text").asText()).isEqualTo("No active incidents.");
    releaser.join(10_000);
    assertThat(slack.requests).isEmpty();
  }
}
