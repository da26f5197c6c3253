package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.Signal;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.response.ResponseEngine;
import io.vigil.testing.ChildServer;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code alertmanager} action against a real Alertmanager (Debian's
 * {@code prometheus-alertmanager}) on 127.0.0.1: the rule's alert is accepted by
 * {@code /api/v2/alerts} and then listed by it with the templated labels and annotations.
 * Skipped, saying so, when no Alertmanager binary is on PATH.
 */
class AlertmanagerActionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private ChildServer alertmanager;
  private IncidentsExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    if (alertmanager != null) {
      alertmanager.close();
    }
  }

  private void startAlertmanager() throws Exception {
    Path binary = ChildServer.binary("alertmanager", "prometheus-alertmanager");
    assumeTrue(binary != null, "no alertmanager binary on PATH (apt-get install"
        + " prometheus-alertmanager): the alertmanager action is not tested against one");
    int port = FreePort.pick();
    Path config = dir.resolve("alertmanager.yml");
    // Routes to a receiver that sends nothing: the test reads the alerts back from the API.
    Files.writeString(config, "route: {receiver: quiet}\nreceivers: [{name: quiet}]\n");
    alertmanager = ChildServer.start(List.of(binary.toString(), "--config.file=" + config,
        "--storage.path=" + dir.resolve("am-data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="),
        dir.resolve("alertmanager.log"), "http://127.0.0.1:" + port);
  }

  private JsonNode alerts() throws Exception {
    HttpResponse<String> r = alertmanager.http().send(HttpRequest.newBuilder(URI.create(
        alertmanager.base() + "/api/v2/alerts")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  @Test
  void ruleRaisesAnAlertThatAlertmanagerAcceptsAndLists() throws Exception {
    startAlertmanager();
    IncidentsExporterConfig config = new IncidentsExporterConfig();
    config.directory = dir.resolve("incidents").toString();
    config.api.endpoint = "";
    ResponseConfig.Rule r = new ResponseConfig.Rule();
    r.name = "escalate";
    r.match.service = "orders";
    r.action.type = "alertmanager";
    r.action.url = alertmanager.base() + "/";
    r.action.labels.put("alertname", "VigilIncident");
    r.action.labels.put("service", "${incident.service}");
    r.action.labels.put("cause", "${incident.cause}");
    r.action.labels.put("team", "");
    r.action.annotations.put("summary", "${incident.title}");
    r.action.annotations.put("incident", "${incident.id}");
    config.response.rules.add(r);
    new IncidentsExporterFactory().validate(config);
    exporter = PluginlessExporters.of(config, new MutableClock(T0));
    exporter.start();
    exporter.consumer(Signal.LOGS).consume(batch(log("error_surge", "orders", "t1",
        "db said \"timeout\" after <*> ms", T0))).get(5, TimeUnit.SECONDS);
    String id = exporter.tracker().list(new IncidentQuery(null, "orders", null, 1)).get(0).id();

    await().atMost(Duration.ofSeconds(15)).until(() -> exporter.tracker().get(id).timeline()
        .stream().anyMatch(t -> t.action().equals(ResponseEngine.AUDIT_ACTION)
            && t.note().contains("succeeded")));
    assertThat(exporter.tracker().get(id).timeline().stream()
        .filter(t -> t.action().equals(ResponseEngine.AUDIT_ACTION)).map(TimelineEntry::note))
        .singleElement().asString().startsWith("rule escalate: action 1 POST "
            + alertmanager.base() + "/api/v2/alerts succeeded: HTTP 200");

    JsonNode listed = alerts();
    assertThat(listed.size()).as(listed.toString()).isEqualTo(1);
    JsonNode alert = listed.get(0);
    assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("VigilIncident");
    assertThat(alert.path("labels").path("service").asText()).isEqualTo("orders");
    assertThat(alert.path("labels").path("cause").asText()).isEqualTo("unclassified");
    assertThat(alert.path("labels").has("team")).as("an empty value is no label").isFalse();
    assertThat(alert.path("annotations").path("incident").asText()).isEqualTo(id);
    assertThat(alert.path("annotations").path("summary").asText())
        .isEqualTo(exporter.tracker().get(id).title());
    assertThat(alert.path("status").path("state").asText()).isEqualTo("active");
  }
}
