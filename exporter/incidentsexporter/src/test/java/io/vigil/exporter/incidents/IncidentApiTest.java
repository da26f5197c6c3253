package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static io.vigil.exporter.incidents.AnomalyRecords.metric;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.cli.IncidentsCli;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.testing.FreePort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentApiTest {

  private static final String TOKEN = "s3cret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private IncidentsExporter exporter;
  private String base;

  @BeforeEach
  void start() throws Exception {
    IncidentsExporterConfig c = new IncidentsExporterConfig();
    c.directory = dir.toString();
    c.api.endpoint = FreePort.endpoint();
    c.api.token = TOKEN;
    c.links.put("jaeger", "http://jaeger:16686/trace/{trace_id}");
    c.links.put("grafana", "http://grafana:3000/d/svc?var-service={service}&from={start_ms}");
    new IncidentsExporterFactory().validate(c);
    exporter = (IncidentsExporter) new IncidentsExporterFactory().create(new ComponentSettings(
        ComponentKind.EXPORTER, ComponentId.of("incidents"), new GatewayTelemetry()), c,
        Set.of(Signal.LOGS));
    exporter.start();
    base = "http://" + c.api.endpoint + "/api/incidents";
    ExportLogsServiceRequest b = batch(
        log("new_template", "payments", "p1", "card gateway timeout <*>", T0, "trace-1"),
        metric("orders", "http.server.duration{route=/orders}", 0.98, T0.plusSeconds(30),
            "trace-1"),
        log("new_template", "inventory", "i1", "stock sync failed", T0.plusSeconds(40)),
        // An ordinary log record in the same batch is not an anomaly and is ignored.
        io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
            .setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                .setStringValue("GET /orders 200")).build());
    exporter.consumer(Signal.LOGS).consume(b).get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now().plusSeconds(2));
  }

  private record Answer(int status, JsonNode body) {}

  private Answer call(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  private Answer get(String path) throws Exception {
    return call("GET", path, null, TOKEN);
  }

  private Answer post(String path, String body) throws Exception {
    return call("POST", path, body, TOKEN);
  }

  private String idOf(String service) throws Exception {
    return get("?service=" + service).body().path("incidents").get(0).path("id").asText();
  }

  @Test
  void listsTheSignalsTheOpeningPolicyHoldsBehindTheToken() throws Exception {
    exporter.consumer(Signal.LOGS).consume(batch(
        log("new_template", "storefront", "s1", "Checkout of <*> x grinder", T0, 9),
        log("rare_sequence", "payments", "p9", "Charged <*>", T0, 9)))
        .get(5, TimeUnit.SECONDS);
    String signals = base.replace("/api/incidents", "/api/signals");
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(signals + "?limit=5"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    // storefront's INFO message is held; payments' rare sequence joined its active incident.
    assertThat(body.path("held_count").asInt()).isEqualTo(1);
    JsonNode held = body.path("held").get(0);
    assertThat(held.path("service").asText()).isEqualTo("storefront");
    assertThat(held.path("severity_number").asInt()).isEqualTo(9);
    assertThat(held.path("reason").asText()).contains("below opening::min_severity");
    assertThat(body.path("not_opened_count").asInt()).isZero();
    assertThat(get("?service=storefront").body().path("count").asInt()).isZero();

    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(signals))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode()).isEqualTo(401);
  }

  @Test
  void listsFiltersAndShowsIncidentsWithEvidenceAndLinks() throws Exception {
    Answer all = get("");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().path("count").asInt()).as("payments+orders share trace-1").isEqualTo(2);

    String id = idOf("orders");
    assertThat(idOf("payments")).isEqualTo(id);
    Answer one = get("/" + id);
    assertThat(one.status()).isEqualTo(200);
    JsonNode i = one.body();
    assertThat(i.path("state").asText()).isEqualTo("open");
    assertThat(i.path("origin").asText()).isEqualTo("payments");
    assertThat(i.path("severity").asText()).as("0.7 → 0.5+0.4·0.98, +0.1 logs and metrics,"
        + " +0.05 two services").isEqualTo("critical");
    JsonNode ev = i.path("evidence");
    assertThat(ev.path("records")).hasSize(2);
    assertThat(ev.path("series").get(0).path("series").asText())
        .isEqualTo("http.server.duration{route=/orders}");
    assertThat(ev.path("series").get(0).path("max_score").asDouble()).isEqualTo(0.98);
    assertThat(ev.path("templates").get(0).path("template").asText())
        .isEqualTo("card gateway timeout <*>");
    assertThat(ev.path("templates").get(0).path("samples").get(0).asText())
        .contains("card gateway timeout");
    assertThat(ev.path("trace_ids").toString()).isEqualTo("[\"trace-1\"]");
    assertThat(i.path("links").toString())
        .contains("http://jaeger:16686/trace/trace-1")
        .contains("http://grafana:3000/d/svc?var-service=payments&from="
            + T0.minusSeconds(60).toEpochMilli());

    assertThat(get("?state=resolved").body().path("count").asInt()).isZero();
    assertThat(get("?since=2999-01-01T00:00:00Z").body().path("count").asInt()).isZero();
    assertThat(get("?since=1h").body().path("count").asInt()).isEqualTo(2);
  }

  @Test
  void acknowledgeResolveReopenAndReclassifyOverHttp() throws Exception {
    String id = idOf("inventory");
    Answer ack = post("/" + id + "/acknowledge", "{\"by\": \"alice\", \"note\": \"mine\"}");
    assertThat(ack.body().path("state").asText()).isEqualTo("acknowledged");

    Answer twice = post("/" + id + "/acknowledge", "{}");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.body().path("message").asText()).contains("acknowledged");

    Answer resolved = post("/" + id + "/resolve",
        "{\"by\": \"alice\", \"category\": \"dependency\", \"note\": \"sync job restarted\"}");
    assertThat(resolved.status()).isEqualTo(200);
    assertThat(resolved.body().path("resolution").path("category").asText())
        .isEqualTo("dependency");
    assertThat(get("?state=resolved").body().path("incidents").get(0).path("id").asText())
        .isEqualTo(id);
    // The resolve form's categories: none from the classifier (none), "dependency" used once.
    HttpResponse<String> categories = http.send(HttpRequest.newBuilder(URI.create(
        base.replace("/api/incidents", "/api/categories"))).header("Authorization", "Bearer "
        + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(categories.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(categories.body()).path("categories").toString())
        .isEqualTo("[{\"name\":\"dependency\",\"resolved\":1}]");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base.replace("/api/incidents",
        "/api/categories"))).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("behind the token").isEqualTo(401);

    Answer reopened = post("/" + id + "/reopen", "{\"note\": \"back again\"}");
    assertThat(reopened.body().path("state").asText()).isEqualTo("reopened");
    assertThat(reopened.body().path("timeline").findValuesAsText("action"))
        .containsExactly("opened", "acknowledged", "resolved", "reopened");
    assertThat(reopened.body().path("timeline").get(3).path("actor").asText()).isEqualTo("api");

    Answer auto = post("/" + id + "/reclassify", "");
    assertThat(auto.body().path("classification").path("label").asText())
        .isEqualTo("unclassified");
    Answer manual = post("/" + id + "/reclassify", "{\"label\": \"database\"}");
    assertThat(manual.body().path("classification").path("label").asText())
        .isEqualTo("database");

    Answer similar = get("/" + id + "/similar?k=3");
    assertThat(similar.status()).isEqualTo(200);
    assertThat(similar.body().path("similar")).isEmpty();
  }

  @Test
  void refusesWithoutTheTokenAndAnswersErrorsAsJson() throws Exception {
    Answer none = call("GET", "", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().path("message").asText()).contains("bearer token");
    assertThat(call("GET", "", null, "wrong").status()).isEqualTo(401);

    Answer unknown = get("/inc-404");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("message").asText()).isEqualTo(
        "no incident with id \"inc-404\"");

    String id = idOf("inventory");
    Answer badJson = post("/" + id + "/resolve", "{\"note\": \"x\", category: }");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.body().path("message").asText())
        .startsWith("request body is not valid JSON").contains("line 1");

    Answer missing = post("/" + id + "/resolve", "{\"note\": \"fixed\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().path("message").asText()).isEqualTo("category: required");

    Answer wrongType = post("/" + id + "/resolve", "{\"note\": 1, \"category\": \"x\"}");
    assertThat(wrongType.body().path("message").asText()).startsWith("note: must be a string");

    assertThat(get("?state=closed").body().path("message").asText())
        .startsWith("state: unknown state \"closed\"");
    assertThat(get("?since=yesterday").status()).isEqualTo(400);
    assertThat(call("DELETE", "/" + id, null, TOKEN).status()).isEqualTo(405);
    assertThat(post("/" + id + "/explode", "{}").status()).isEqualTo(404);
    assertThat(get("/" + id).body().path("state").asText()).as("nothing changed")
        .isEqualTo("open");
  }

  @Test
  void cliListsShowsAcknowledgesAndResolves() throws Exception {
    String url = base.replace("/api/incidents", "");
    String id = idOf("inventory");

    Map.Entry<Integer, String> list = cli("list", "--url", url, "--token", TOKEN);
    assertThat(list.getKey()).isZero();
    assertThat(list.getValue()).contains(id).contains("inventory").contains("payments");

    assertThat(cli("ack", id, "--url", url, "--token", TOKEN, "--by", "carol").getKey())
        .isZero();
    assertThat(cli("resolve", id, "--url", url, "--token", TOKEN, "--category", "noise",
        "--note", "known flake").getKey()).isZero();
    Map.Entry<Integer, String> show = cli("show", id, "--url", url, "--token", TOKEN);
    assertThat(show.getValue()).contains("\"state\" : \"resolved\"").contains("carol")
        .contains("known flake");

    Map.Entry<Integer, String> denied = cli("list", "--url", url, "--token", "nope");
    assertThat(denied.getKey()).isEqualTo(1);
    assertThat(denied.getValue()).contains("error 401");
    assertThat(cli("reopen", "inc-404", "--url", url, "--token", TOKEN).getValue())
        .contains("error 404: no incident with id \"inc-404\"");
  }

  private static Map.Entry<Integer, String> cli(String... args) {
    StringWriter out = new StringWriter();
    int code = IncidentsCli.run(new PrintWriter(out, true), new PrintWriter(out, true), args);
    return Map.entry(code, out.toString());
  }
}
