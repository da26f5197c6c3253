package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter end to end: OTLP batches into its consumers, JSON out of its console's API. */
class ConsoleApiOverHttpTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long FROM = ShopTraffic.range().fromNanos() / 1_000_000;
  private static final long TO = ShopTraffic.range().toNanos() / 1_000_000;

  @TempDir
  Path directory;
  private VigilStoreExporter exporter;
  private String base;

  @BeforeEach
  void start() throws Exception {
    VigilStoreExporterConfig config = new VigilStoreExporterConfig();
    config.directory = directory.toString();
    config.console.endpoint = "127.0.0.1:0";
    config.console.token = "s3cret";
    config.validate();
    exporter = new VigilStoreExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("vigilstore"), new GatewayTelemetry()), config,
        Clock.fixed(ShopTraffic.START.plus(Duration.ofHours(1)), ZoneOffset.UTC));
    exporter.start();
    exporter.consumer(Signal.TRACES).consume(ShopTraffic.traces()).get();
    exporter.consumer(Signal.LOGS).consume(ShopTraffic.logs()).get();
    base = "http://127.0.0.1:" + exporter.consoleAddress().getPort();
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now().plusSeconds(5));
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path, "s3cret");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return LuceneDocuments.JSON.readTree(r.body());
  }

  @Test
  void incidentsNotConfiguredIsAnEmptyListThatSaysSo() throws Exception {
    JsonNode list = json("/api/incidents");
    assertThat(list.get("configured").asBoolean()).isFalse();
    assertThat(list.get("incidents")).isEmpty();
    assertThat(list.get("hint").asText()).contains("console::incidents_api");
    HttpResponse<String> one = get("/api/incidents/inc-1", "s3cret");
    assertThat(one.statusCode()).isEqualTo(404);
    assertThat(one.body()).contains("console::incidents_api");
  }

  @Test
  void anIncidentsApiThatDoesNotAnswerIsA502NamingTheKey() throws Exception {
    exporter.shutdown(Instant.now().plusSeconds(5));
    VigilStoreExporterConfig config = new VigilStoreExporterConfig();
    config.directory = directory.resolve("other").toString();
    config.console.endpoint = "127.0.0.1:0";
    // A port nothing listens on: taken and released.
    config.console.incidentsApi = "http://" + io.vigil.testing.FreePort.endpoint();
    config.validate();
    exporter = new VigilStoreExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("vigilstore"), new GatewayTelemetry()), config, Clock.systemUTC());
    exporter.start();
    base = "http://127.0.0.1:" + exporter.consoleAddress().getPort();
    HttpResponse<String> r = get("/api/incidents", null);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("console::incidents_api").contains("did not answer");
    // An ID that is not one never reaches the incidents API.
    assertThat(get("/api/incidents/a%20b%3Fc", null).statusCode()).isEqualTo(400);
  }

  @Test
  void apiNeedsTheBearerTokenButThePageDoesNot() throws Exception {
    assertThat(get("/api/services", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/services", "wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api/services", "s3cret").statusCode()).isEqualTo(200);
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Vigil console</title>");
    assertThat(get("/uplot/uPlot.iife.min.js", null).statusCode()).isEqualTo(200);
    assertThat(get("/app.js", null).headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(get("/../pom.xml", null).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> post(String path, String type, String origin, String body)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer s3cret")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      r.header("Content-Type", type);
    }
    if (origin != null) {
      r.header("Origin", origin);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void postsComeOnlyFromTheConsolesOwnPageAsJson() throws Exception {
    String ack = "/api/incidents/inc-1/acknowledge";
    // A form or a no-cors fetch from another site cannot send JSON without a preflight.
    HttpResponse<String> form = post(ack, "application/x-www-form-urlencoded", null, "note=x");
    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(form.body()).contains("Content-Type: application/json");
    assertThat(post(ack, "text/plain", null, "{}").statusCode()).isEqualTo(403);
    HttpResponse<String> foreign = post(ack, "application/json", "http://evil.example", "{}");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("evil.example");
    // From the page itself: passed on (here to no incidents API, which says so).
    HttpResponse<String> own = post(ack, "application/json", base, "{}");
    assertThat(own.statusCode()).isEqualTo(404);
    assertThat(own.body()).contains("console::incidents_api");
    // Pages are not posted to; other methods are refused.
    assertThat(post("/", "application/json", null, "{}").statusCode()).isEqualTo(405);
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + ack))
        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
  }

  @Test
  void postsAreCheckedBeforeTheyReachTheIncidentsApi() throws Exception {
    assertThat(post("/api/incidents/inc-1/resolve", "application/json", null,
        "{\"note\": \"fixed\"}").body()).contains("category: required");
    assertThat(post("/api/incidents/inc-1/resolve", "application/json", null,
        "{\"category\": \"config\"}").body()).contains("note: required");
    assertThat(post("/api/incidents/inc-1/acknowledge", "application/json", null,
        "{\"by\": \"<script>\"}").body()).contains("by: a name of up to 64");
    assertThat(post("/api/chat/messages", "application/json", null, "{}").body())
        .contains("text: required");
    assertThat(post("/api/chat/messages", "application/json", null, "[1]").statusCode())
        .isEqualTo(400);
    assertThat(post("/api/chat/messages", "application/json", null, "{\"text\": ").body())
        .contains("not valid JSON");
    assertThat(post("/api/incidents/inc-1/reclassify", "application/json", null, "{}")
        .statusCode()).as("not offered by the console").isEqualTo(404);
    assertThat(post("/api/services", "application/json", null, "{}").statusCode())
        .isEqualTo(404);
    assertThat(post("/api/chat/messages", "application/json", null,
        "{\"text\": \"" + "x".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
  }

  @Test
  void servesEveryQueryAsJson() throws Exception {
    String range = "from=" + FROM + "&to=" + TO;
    JsonNode services = json("/api/services?" + range);
    assertThat(services).extracting(s -> s.get("service").asText())
        .containsExactly("orders", "payments", "storefront");
    JsonNode series = json("/api/services/payments/series?buckets=4&" + range);
    assertThat(series.get("buckets").get(1).get("exemplarTraceId").asText())
        .isEqualTo(ShopTraffic.traceId(9));
    JsonNode trace = json("/api/traces/" + ShopTraffic.traceId(6).toUpperCase());
    assertThat(trace.get("spans")).hasSize(5);
    assertThat(trace.get("logs")).hasSize(2);
    JsonNode logs = json("/api/logs?severity=error&q=declined&limit=1&" + range);
    assertThat(logs).singleElement().satisfies(l ->
        assertThat(l.get("traceId").asText()).isEqualTo(ShopTraffic.traceId(13)));
    JsonNode patterns = json("/api/patterns?buckets=4&" + range);
    assertThat(patterns.get(0).get("sparkline")).hasSize(4);
  }

  @Test
  void unreadableParametersAreA400NamingThem() throws Exception {
    assertThat(get("/api/logs?from=yesterday", "s3cret").body())
        .contains("from: expected Unix milliseconds");
    HttpResponse<String> r = get("/api/logs?severity=loud", "s3cret");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("severity: expected trace, debug");
    assertThat(get("/api/services?from=10&to=5", "s3cret").statusCode()).isEqualTo(400);
    assertThat(get("/api/traces/" + "0".repeat(31) + "1", "s3cret").statusCode()).isEqualTo(404);
    assertThat(get("/api/nothing", "s3cret").statusCode()).isEqualTo(404);
  }
}
