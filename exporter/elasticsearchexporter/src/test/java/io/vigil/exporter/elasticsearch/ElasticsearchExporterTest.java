package io.vigil.exporter.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.TestData;
import io.vigil.exporter.elasticsearch.FakeSearchEngine.ItemAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporter against {@link FakeSearchEngine}: per-item outcomes, setup, auth, gzip. */
class ElasticsearchExporterTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FakeSearchEngine engine;
  private ElasticsearchExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    if (engine != null) {
      engine.close();
    }
  }

  private ElasticsearchExporter start(String distribution, ElasticsearchExporterConfig c)
      throws Exception {
    engine = new FakeSearchEngine(distribution);
    c.endpoint = engine.url();
    c.retryOnFailure.initialInterval = Duration.ofMillis(10);
    c.retryOnFailure.maxInterval = Duration.ofMillis(50);
    c.timeout = Duration.ofSeconds(5);
    new ElasticsearchExporterFactory().validate(c);
    exporter = (ElasticsearchExporter) new ElasticsearchExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("elasticsearch"), telemetry),
        c, Set.of(Signal.LOGS, Signal.TRACES));
    exporter.start();
    return exporter;
  }

  private double metric(String name, String... labels) {
    return Metrics.value(telemetry, name, labels);
  }

  @Test
  void retriesOnlyTheItemsRefusedWith429() throws Exception {
    start("opensearch", new ElasticsearchExporterConfig());
    // Lines 1 and 3 are refused the first time they are seen, as a busy write pool does.
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    engine.bulkAnswer = d -> {
      String msg = d.source().get("message").asText();
      if ((msg.equals("line 1") || msg.equals("line 3")) && refusedOnce.add(d.id())) {
        return new ItemAnswer(429, "es_rejected_execution_exception", "rejected execution");
      }
      return ItemAnswer.created();
    };
    exporter.consumer(Signal.LOGS).consume(TestData.logs(5)).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_log_records")).isEqualTo(5.0));
    assertThat(engine.bulkRequests()).hasSize(2);
    assertThat(engine.bulkDocs).hasSize(7).as("5 sent once, 2 sent again");
    assertThat(engine.indexed).hasSize(5);
    assertThat(engine.bulkDocs.subList(5, 7)).extracting(d -> d.source().get("message").asText())
        .containsExactly("line 1", "line 3");
    assertThat(engine.bulkDocs.subList(5, 7)).extracting(FakeSearchEngine.Doc::id)
        .as("the retry repeats the same _ids").containsExactlyInAnyOrderElementsOf(refusedOnce);
  }

  @Test
  void dropsItemsRejectedForMappingAndCountsThemByReason() throws Exception {
    start("opensearch", new ElasticsearchExporterConfig());
    engine.bulkAnswer = d -> d.source().get("message").asText().equals("line 2")
        ? new ItemAnswer(400, "mapper_parsing_exception",
            "failed to parse field [http.response.status_code] of type [long]")
        : ItemAnswer.created();
    exporter.consumer(Signal.LOGS).consume(TestData.logs(4)).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_log_records")).isEqualTo(3.0));
    assertThat(metric("otelcol_exporter_send_failed_log_records", "reason", "rejected")).isEqualTo(1.0);
    assertThat(metric("vigil_exporter_rejected_documents", "signal", "logs",
        "reason", "mapper_parsing_exception")).isEqualTo(1.0);
    assertThat(engine.bulkRequests()).as("a content error is not retried").hasSize(1);
    assertThat(engine.indexed).hasSize(3);
  }

  @Test
  void retriesTheWholeBatchOn503AndTreatsOwnIdConflictsAsIndexed() throws Exception {
    start("opensearch", new ElasticsearchExporterConfig());
    await().until(exporter::isSetUp);
    engine.everything = 503;
    exporter.consumer(Signal.TRACES).consume(TestData.spans(3)).get(5, TimeUnit.SECONDS);
    await().until(() -> engine.bulkRequests().size() >= 2);
    engine.everything = 0;
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(3.0));
    assertThat(engine.indexed).hasSize(3);
    assertThat(metric("otelcol_exporter_send_failed_spans")).isZero();
  }

  @Test
  void waitsForTemplatesThenInstallsIsmPolicyOnOpenSearch() throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.retention.enabled = true;
    c.retention.deleteAfter = Duration.ofDays(14);
    start("opensearch", c);
    exporter.consumer(Signal.LOGS).consume(TestData.logs(2)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_sent_log_records")).isEqualTo(2.0));

    assertThat(exporter.distribution()).isEqualTo(Distribution.OPENSEARCH);
    JsonNode ism = engine.policies.get("vigil-retention").get("policy");
    assertThat(ism.at("/states/0/actions/0/rollover/min_index_age").asText()).isEqualTo("1d");
    assertThat(ism.at("/states/0/transitions/0/conditions/min_index_age").asText())
        .isEqualTo("14d");
    assertThat(ism.at("/states/1/actions/0").has("delete")).isTrue();
    assertThat(ism.at("/ism_template/0/index_patterns").toString())
        .contains(".ds-logs-*-*", ".ds-traces-*-*");
    JsonNode logs = engine.templates.get("vigil-logs");
    assertThat(logs.at("/index_patterns/0").asText()).isEqualTo("logs-*-*");
    assertThat(logs.has("data_stream")).isTrue();
    assertThat(logs.at("/template/settings").has("index.lifecycle.name"))
        .as("OpenSearch has no ILM setting").isFalse();
    assertThat(logs.at("/template/mappings/properties/trace/properties/id/type").asText())
        .isEqualTo("keyword");
    assertThat(engine.templates).containsKey("vigil-traces");
    int firstBulk = engine.requests.indexOf(engine.bulkRequests().get(0));
    assertThat(engine.requests.subList(0, firstBulk))
        .extracting(FakeSearchEngine.Request::path)
        .as("policy and templates are in place before the first document")
        .contains("/_plugins/_ism/policies/vigil-retention", "/_index_template/vigil-logs");
  }

  @Test
  void installsIlmPolicyAndRefersToItFromTemplatesOnElasticsearch() throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.retention.enabled = true;
    start("elasticsearch", c);
    await().atMost(Duration.ofSeconds(10)).until(exporter::isSetUp);
    assertThat(exporter.distribution()).isEqualTo(Distribution.ELASTICSEARCH);
    JsonNode ilm = engine.policies.get("vigil-retention");
    assertThat(ilm.at("/policy/phases/hot/actions/rollover/max_age").asText()).isEqualTo("1d");
    assertThat(ilm.at("/policy/phases/hot/actions/rollover/max_size").asText()).isEqualTo("50gb");
    assertThat(ilm.at("/policy/phases/delete/min_age").asText()).isEqualTo("7d");
    assertThat(engine.templates.get("vigil-traces").at("/template/settings")
        .get("index.lifecycle.name").asText()).isEqualTo("vigil-retention");
  }

  @Test
  void gzipsBulkBodiesAndSendsTheApiKey() throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.apiKey = "aWQ6c2VjcmV0";
    start("opensearch", c);
    exporter.consumer(Signal.LOGS).consume(TestData.logs(1)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !engine.bulkRequests().isEmpty());
    FakeSearchEngine.Request bulk = engine.bulkRequests().get(0);
    assertThat(bulk.contentEncoding()).isEqualTo("gzip");
    assertThat(bulk.authorization()).isEqualTo("ApiKey aWQ6c2VjcmV0");
    assertThat(bulk.text()).startsWith("{\"create\":{\"_index\":\"logs-generic-default\",\"_id\":");
  }

  @Test
  void sendsBasicAuthAndPlainBodiesWhenCompressionIsNone() throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.user = "vigil";
    c.password = "secret";
    c.compression = "none";
    start("opensearch", c);
    exporter.consumer(Signal.LOGS).consume(TestData.logs(1)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !engine.bulkRequests().isEmpty());
    assertThat(engine.bulkRequests().get(0).contentEncoding()).isNull();
    assertThat(engine.requests).allSatisfy(r ->
        assertThat(r.authorization()).isEqualTo("Basic dmlnaWw6c2VjcmV0"));
  }

  @Test
  void routesByDataStreamAttributesOrToDatedIndices() throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.tracesIndex = "vigil-spans";
    start("opensearch", c);
    LogRecord.Builder r = TestData.logs(1).getResourceLogs(0).getScopeLogs(0).getLogRecords(0)
        .toBuilder().addAttributes(TestData.str("data_stream.dataset", "Checkout-API"));
    ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(TestData.logs(0).getResourceLogs(0).toBuilder().clearScopeLogs()
            .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(r)))
        .build();
    exporter.consumer(Signal.LOGS).consume(logs).get(5, TimeUnit.SECONDS);
    exporter.consumer(Signal.TRACES).consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.indexed.size() == 2);
    assertThat(engine.indexed.values()).extracting(FakeSearchEngine.Doc::index)
        .anyMatch(i -> i.equals("logs-checkout_api-default"))
        .anyMatch(i -> i.matches("vigil-spans-\\d{4}\\.\\d{2}\\.\\d{2}"));
    assertThat(engine.templates.get("vigil-vigil-spans").at("/index_patterns/0").asText())
        .isEqualTo("vigil-spans-*");
    assertThat(engine.templates.get("vigil-vigil-spans").has("data_stream")).isFalse();
  }

  @Test
  void mapsLogRecordsToEcsFields() {
    var rec = TestData.logs(1).getResourceLogs(0).getScopeLogs(0).getLogRecords(0).toBuilder()
        .setBody(AnyValue.newBuilder().setStringValue("payment failed"))
        .setSeverityText("")
        .setSeverityNumberValue(17)
        .addAttributes(TestData.str("exception.type", "java.io.IOException"))
        .addAttributes(TestData.str("exception.message", "connection reset"))
        .addAttributes(TestData.str("order.id", "o-7"))
        .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("retry.count")
            .setValue(AnyValue.newBuilder().setIntValue(3)))
        .build();
    var doc = new EcsMapping().log(TestData.resource("checkout"),
        io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
            .setName("com.shop.Pay").build(), rec);
    assertThat(doc.get("@timestamp").asText()).endsWith("Z");
    assertThat(doc.get("message").asText()).isEqualTo("payment failed");
    assertThat(doc.at("/log/level").asText()).isEqualTo("error");
    assertThat(doc.at("/log/logger").asText()).isEqualTo("com.shop.Pay");
    assertThat(doc.at("/service/name").asText()).isEqualTo("checkout");
    assertThat(doc.at("/trace/id").asText()).hasSize(32);
    assertThat(doc.at("/span/id").asText()).hasSize(16);
    assertThat(doc.at("/error/type").asText()).isEqualTo("java.io.IOException");
    assertThat(doc.at("/error/message").asText()).isEqualTo("connection reset");
    assertThat(doc.at("/labels/order_id").asText()).isEqualTo("o-7");
    assertThat(doc.at("/numeric_labels/retry_count").asLong()).isEqualTo(3);
  }

  /** Issue #17: log.level is lower case whichever way the producer wrote the severity text. */
  @Test
  void ecsLogLevelIsLowerCase() {
    assertThat(EcsMapping.level("ERROR", 17)).isEqualTo("error");
    assertThat(EcsMapping.level("Warning", 13)).isEqualTo("warning");
    assertThat(EcsMapping.level("", 17)).isEqualTo("error");
    assertThat(EcsMapping.level("", 0)).isNull();
  }

  /**
   * Issue #17: span events other than exceptions, and span links, reach the ECS span document
   * ({@code span.events}, {@code span.links.trace.id} / {@code span.links.span.id} as Elastic
   * APM names them); the exception event still becomes {@code error.*}.
   */
  @Test
  void ecsSpanDocumentsCarryEventsAndLinks() {
    byte[] linked = new byte[16];
    linked[15] = 7;
    byte[] linkedSpan = new byte[8];
    linkedSpan[7] = 9;
    var span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
        .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("GET /orders").setStartTimeUnixNano(1_000_000_000L)
        .setEndTimeUnixNano(2_000_000_000L)
        .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
            .setName("cache miss").setTimeUnixNano(1_500_000_000L)
            .addAttributes(TestData.str("cache.key", "order:7")))
        .addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
            .setName("exception").setTimeUnixNano(1_600_000_000L)
            .addAttributes(TestData.str("exception.type", "java.io.IOException")))
        .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(com.google.protobuf.ByteString.copyFrom(linked))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(linkedSpan)))
        .build();
    var doc = new EcsMapping().span(TestData.resource("checkout"),
        io.opentelemetry.proto.common.v1.InstrumentationScope.getDefaultInstance(), span);
    assertThat(doc.at("/error/type").asText()).isEqualTo("java.io.IOException");
    assertThat(doc.at("/span/events")).hasSize(1);
    assertThat(doc.at("/span/events/0/name").asText()).isEqualTo("cache miss");
    assertThat(doc.at("/span/events/0/@timestamp").asText()).endsWith("Z");
    assertThat(doc.at("/span/events/0/attributes").asText()).contains("\"cache.key\":\"order:7\"");
    assertThat(doc.at("/span/links")).hasSize(1);
    assertThat(doc.at("/span/links/0/trace/id").asText())
        .isEqualTo("00000000000000000000000000000007");
    assertThat(doc.at("/span/links/0/span/id").asText()).isEqualTo("0000000000000009");
  }
}
