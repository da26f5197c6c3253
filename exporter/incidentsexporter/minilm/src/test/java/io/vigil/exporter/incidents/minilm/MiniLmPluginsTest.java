package io.vigil.exporter.incidents.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.IncidentsExporterConfig;
import io.vigil.exporter.incidents.IncidentsExporterFactory;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minilm plugins inside the real incidents exporter: the real all-MiniLM-L6-v2 model,
 * trained on the shared post-mortems, and the exporter's H2 store on disk.
 */
class MiniLmPluginsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static Path postmortems;

  @TempDir Path dir;
  private IncidentsExporter exporter;

  @BeforeAll
  static void findData() {
    postmortems = Records.postmortems().orElse(null);
  }

  private IncidentsExporter start(String path, String model) throws Exception {
    assumeTrue(postmortems != null,
        "skipped: ../shared/data/incidents/postmortems.jsonl is not beside this checkout");
    IncidentsExporterConfig c = new IncidentsExporterConfig();
    c.directory = dir.resolve("store").toString();
    c.api.endpoint = "";
    c.classifier = "minilm";
    c.recommender = "minilm";
    c.knowledgeBase.path = path;
    c.knowledgeBase.model = model;
    IncidentsExporterFactory factory = new IncidentsExporterFactory();
    factory.validate(c);
    exporter = (IncidentsExporter) factory.create(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("incidents"), new GatewayTelemetry()), c, Set.of(Signal.LOGS));
    exporter.start();
    return exporter;
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
  }

  private Incident open(String service, String templateId, String template, Instant at)
      throws Exception {
    exporter.consumer(Signal.LOGS).consume(Records.newTemplate(service, templateId, template,
        at)).get(30, TimeUnit.SECONDS);
    return exporter.tracker().list(IncidentQuery.all(100)).stream()
        .filter(i -> i.evidence().stream().anyMatch(e -> templateId.equals(e.templateId())))
        .findFirst().orElseThrow();
  }

  @Test
  void classifiesAConfigurationChangeAsConfig() throws Exception {
    start(postmortems.toString(), "");

    Incident i = open("payments", "t-cfg", "Configuration change applied: property"
        + " payments.gateway.timeout set to <*> by config rollout <*>", T0);

    assertThat(i.classification().label()).isEqualTo("config");
    assertThat(i.classification().confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void aResolvedIncidentIsRecommendedFirstForTheNextOneLikeIt() throws Exception {
    start(postmortems.toString(), "");
    Incident first = open("orders", "t-pool", "HikariPool-1 - Connection is not available,"
        + " request timed out after <*>ms", T0);
    exporter.tracker().resolve(first.id(), "alice", "database",
        "connection pool exhausted by a slow query; added the missing index on orders.status");

    // Another service, a day later: not grouped with, nor a recurrence of, the first.
    Incident next = open("inventory", "t-pool-2", "HikariPool-2 - Connection is not available,"
        + " request timed out after <*>ms", T0.plusSeconds(2 * 86_400));
    List<Recommendation> similar = exporter.tracker().similar(next.id(), 3);

    assertThat(next.id()).isNotEqualTo(first.id());
    assertThat(similar).hasSize(3);
    assertThat(similar.get(0).incidentId()).isEqualTo(first.id());
    assertThat(similar.get(0).resolution().category()).isEqualTo("database");
    assertThat(similar.get(0).resolution().note()).contains("missing index");
    assertThat(similar.get(0).similarity()).isGreaterThan(similar.get(1).similarity());
    // The rest come from the knowledge base, with the post-mortem's cause and mitigation.
    assertThat(similar.get(1).resolution().at()).isNull();
  }

  @Test
  void beforeAnyResolutionRecommendationsComeFromTheKnowledgeBase() throws Exception {
    start(postmortems.toString(), "");
    Incident i = open("orders", "t-dns", "DNS resolution failed for <*>: network unreachable",
        T0);

    List<Recommendation> similar = exporter.tracker().similar(i.id(), 5);

    assertThat(similar).hasSize(5).allSatisfy(r -> {
      assertThat(r.incidentId()).matches("(aws|azure|gcp|google)-?.*");
      assertThat(r.similarity()).isBetween(0.0, 1.0);
    });
  }

  @Test
  void aModelTrainedByTheCliClassifiesAsTrainingAtStartDoes() throws Exception {
    assumeTrue(postmortems != null, "skipped: no shared post-mortems");
    Path model = dir.resolve("model");
    StringWriter out = new StringWriter();
    int code = MiniLmCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()),
        "train", "--knowledge-base", postmortems.toString(), "--out", model.toString());
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).contains("knowledge_base: {model: " + model + "}");

    start("", model.toString());
    Incident i = open("payments", "t-cfg", "Configuration change applied: property"
        + " payments.gateway.timeout set to <*> by config rollout <*>", T0);

    assertThat(i.classification().label()).isEqualTo("config");
    assertThat(exporter.tracker().similar(i.id(), 2)).hasSize(2);
  }
}
