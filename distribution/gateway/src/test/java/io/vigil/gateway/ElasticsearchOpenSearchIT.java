package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vigil.testing.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The elasticsearch exporter against a real OpenSearch 2.19 node started in this JVM (one node
 * for the whole class): the OpenTelemetry SDK sends over OTLP gRPC to a gateway whose
 * pipelines end in the exporter, and the test reads back what the engine stored. Each test
 * writes its own data streams (its own dataset), so tests do not see each other's documents.
 */
class ElasticsearchOpenSearchIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static OpenSearchRunner runner;
  private static String engineUrl;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private String otlp;
  private Gateway gateway;

  @BeforeAll
  static void startOpenSearch() {
    int http = FreePort.pick();
    int transport = FreePort.pick();
    runner = new OpenSearchRunner();
    // The runner probes for a free port itself unless told there is no upper bound.
    runner.setMaxHttpPort(-1);
    runner.onBuild((n, s) -> {
      s.put("network.host", "127.0.0.1");
      s.put("http.port", String.valueOf(http));
      s.put("transport.port", String.valueOf(transport));
    }).build(OpenSearchRunner.newConfigs().numOfNode(1).baseHttpPort(http - 1)
        .disableESLogger());
    runner.ensureYellow();
    engineUrl = "http://127.0.0.1:" + http;
  }

  @AfterAll
  static void stopOpenSearch() throws IOException {
    if (runner != null) {
      runner.close();
      runner.clean();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /** A gateway: OTLP gRPC in, batch, elasticsearch exporter writing dataset {@code dataset}. */
  private void startGateway(String dataset, String extra) {
    otlp = FreePort.endpoint();
    gateway = Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + otlp + "'}}}",
        "processors:",
        "  batch: {send_batch_size: 50, timeout: 100ms}",
        "exporters:",
        "  elasticsearch:",
        "    endpoint: " + engineUrl,
        "    data_stream: {dataset: " + dataset + "}",
        "    retention: {enabled: true, delete_after: 168h}",
        "    retry_on_failure: {initial_interval: 100ms, max_interval: 1s, max_elapsed_time: 0s}",
        "    timeout: 5s",
        extra,
        "service:",
        "  telemetry: {metrics: {address: '127.0.0.1:0'}}",
        "  pipelines:",
        "    logs: {receivers: [otlp], processors: [batch], exporters: [elasticsearch]}",
        "    traces: {receivers: [otlp], processors: [batch], exporters: [elasticsearch]}"),
        Duration.ofSeconds(10));
    closeables.add(gateway);
  }

  private SdkLoggerProvider logs(String service) {
    SdkLoggerProvider p = SdkLoggerProvider.builder()
        .setResource(resource(service))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(
                OtlpGrpcLogRecordExporter.builder().setEndpoint("http://" + otlp).build())
            .setScheduleDelay(Duration.ofMillis(100)).setMaxExportBatchSize(50).build())
        .build();
    closeables.add(0, p);
    return p;
  }

  private SdkTracerProvider traces(String service) {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(resource(service))
        .addSpanProcessor(BatchSpanProcessor.builder(
                OtlpGrpcSpanExporter.builder().setEndpoint("http://" + otlp).build())
            .setScheduleDelay(Duration.ofMillis(100)).setMaxExportBatchSize(50).build())
        .build();
    closeables.add(0, p);
    return p;
  }

  private static Resource resource(String service) {
    return Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), service,
        AttributeKey.stringKey("k8s.pod.name"), service + "-7d9f")));
  }

  // ---- reading back from the engine

  private static HttpResponse<String> call(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engineUrl + path))
        .timeout(Duration.ofSeconds(10));
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode search(String index, String query) throws Exception {
    call("POST", "/" + index + "/_refresh", null);
    HttpResponse<String> r = call("POST", "/" + index + "/_search", query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static long count(String index) throws Exception {
    call("POST", "/" + index + "/_refresh", null);
    HttpResponse<String> r = call("GET", "/" + index + "/_count", null);
    return r.statusCode() == 200 ? JSON.readTree(r.body()).get("count").asLong() : -1;
  }

  private static double metric(Gateway g, String name, String... labels) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + g.adminPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String line : r.body().split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < labels.length; i += 2) {
        match &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (match) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  // ---- tests

  @Test
  void sdkLogsAreSearchableByTraceIdWithEcsFields() throws Exception {
    startGateway("e2elogs", "");
    Logger logger = logs("checkout").get("com.shop.CheckoutService");
    // A provider without processors hands out invalid (all-zero) span contexts.
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
            io.opentelemetry.sdk.trace.export.SpanExporter.composite()))
        .build();
    closeables.add(0, tracing);
    List<String> traceIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Span span = tracing.get("t").spanBuilder("checkout").startSpan();
      traceIds.add(span.getSpanContext().getTraceId());
      try (Scope ignored = span.makeCurrent()) {
        logger.logRecordBuilder()
            .setContext(Context.current())
            .setSeverity(i % 5 == 0 ? Severity.ERROR : Severity.INFO)
            .setSeverityText(i % 5 == 0 ? "ERROR" : "INFO")
            .setBody("order " + i + " placed")
            .setAttribute(AttributeKey.stringKey("order.id"), "o-" + i)
            .setAttribute(AttributeKey.stringKey("exception.type"),
                i % 5 == 0 ? "java.net.SocketTimeoutException" : null)
            .emit();
      } finally {
        span.end();
      }
    }
    String stream = "logs-e2elogs-default";
    await().atMost(Duration.ofSeconds(30)).until(() -> count(stream) == 20);

    JsonNode hits = search(stream, "{\"query\":{\"term\":{\"trace.id\":\"" + traceIds.get(5)
        + "\"}}}").at("/hits/hits");
    String sample = search(stream, "{\"size\":1}").toString();
    assertThat(hits).as(() -> "trace " + traceIds.get(5) + " among " + sample).hasSize(1);
    JsonNode doc = hits.get(0).get("_source");
    assertThat(hits.get(0).get("_index").asText()).startsWith(".ds-" + stream + "-");
    assertThat(doc.get("@timestamp").asText()).endsWith("Z");
    assertThat(doc.get("message").asText()).isEqualTo("order 5 placed");
    assertThat(doc.at("/log/level").asText()).as("ECS log.level is normalised to lower case").isEqualTo("error");
    assertThat(doc.at("/log/logger").asText()).isEqualTo("com.shop.CheckoutService");
    assertThat(doc.at("/service/name").asText()).isEqualTo("checkout");
    assertThat(doc.at("/kubernetes/pod/name").asText()).isEqualTo("checkout-7d9f");
    assertThat(doc.at("/trace/id").asText()).isEqualTo(traceIds.get(5));
    assertThat(doc.at("/span/id").asText()).hasSize(16);
    assertThat(doc.at("/error/type").asText()).isEqualTo("java.net.SocketTimeoutException");
    assertThat(doc.at("/labels/order_id").asText()).isEqualTo("o-5");
    assertThat(doc.at("/data_stream/dataset").asText()).isEqualTo("e2elogs");

    // The fields are typed by the installed template: a keyword term query and a date range.
    assertThat(search(stream, "{\"query\":{\"bool\":{\"filter\":["
        + "{\"term\":{\"service.name\":\"checkout\"}},{\"term\":{\"log.level\":\"error\"}},"
        + "{\"range\":{\"@timestamp\":{\"gte\":\"now-1h\"}}}]}}}")
        .at("/hits/total/value").asLong()).isEqualTo(4);
    JsonNode mapping = JSON.readTree(call("GET", "/" + stream + "/_mapping", null).body());
    assertThat(mapping.findValue("@timestamp").get("type").asText()).isEqualTo("date_nanos");
    HttpResponse<String> template = call("GET", "/_index_template/vigil-logs", null);
    assertThat(template.statusCode()).isEqualTo(200);
    assertThat(template.body()).contains("logs-*-*").contains("\"data_stream\"");
    assertThat(call("GET", "/_data_stream/" + stream, null).statusCode()).isEqualTo(200);
  }

  @Test
  void sdkSpansAreSearchableByTraceId() throws Exception {
    startGateway("e2espans", "");
    Tracer tracer = traces("orders").get("io.vigil.test", "1.0");
    List<String> traceIds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Span parent = tracer.spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.response.status_code", i == 3 ? 500L : 200L)
          .startSpan();
      traceIds.add(parent.getSpanContext().getTraceId());
      try (Scope ignored = parent.makeCurrent()) {
        Span child = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan();
        if (i == 3) {
          child.recordException(new IllegalStateException("db timeout"));
          child.setStatus(StatusCode.ERROR, "timeout");
        }
        child.end();
      }
      parent.end();
    }
    String stream = "traces-e2espans-default";
    await().atMost(Duration.ofSeconds(30)).until(() -> count(stream) == 20);
    JsonNode hits = search(stream, "{\"query\":{\"term\":{\"trace.id\":\"" + traceIds.get(3)
        + "\"}},\"sort\":[{\"span.kind\":\"desc\"}]}").at("/hits/hits");
    assertThat(hits).hasSize(2);
    JsonNode server = hits.get(0).get("_source");
    JsonNode client = hits.get(1).get("_source");
    assertThat(server.at("/span/name").asText()).isEqualTo("GET /orders/{id}");
    assertThat(server.at("/span/kind").asText()).isEqualTo("server");
    assertThat(server.at("/http/response/status_code").asLong()).isEqualTo(500);
    assertThat(server.at("/service/name").asText()).isEqualTo("orders");
    assertThat(client.at("/parent/id").asText()).isEqualTo(server.at("/span/id").asText());
    assertThat(client.at("/event/outcome").asText()).isEqualTo("failure");
    assertThat(client.at("/error/type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(client.at("/error/message").asText()).isEqualTo("db timeout");
    assertThat(client.at("/event/duration").asLong()).isPositive();
    assertThat(call("GET", "/_index_template/vigil-traces", null).statusCode()).isEqualTo(200);
  }

  @Test
  void everyRecordArrivesExactlyOnceAcrossAnEngineRestart() throws Exception {
    startGateway("restart", "");
    SdkLoggerProvider provider = logs("restart");
    Logger logger = provider.get("restart");
    String stream = "logs-restart-default";
    int perPhase = 200;
    int seq = 0;
    for (; seq < perPhase; seq++) {
      emit(logger, seq);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> count(stream) == perPhase);

    // Mid-stream: the node goes away while records keep coming, and bulk requests fail.
    for (; seq < 2 * perPhase; seq++) {
      emit(logger, seq);
      if (seq == perPhase + 20) {
        runner.getNode(0).close();
      }
    }
    assertThat(isUp()).isFalse();
    // The SDK hands what it has to the gateway, which holds it in its sending queue.
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS)
        .isSuccess()).isTrue();
    assertThat(metric(gateway, "otelcol_exporter_sent_log_records_total"))
        .isLessThan(2.0 * perPhase);
    assertThat(runner.startNode(0)).isTrue();
    runner.ensureYellow();
    for (; seq < 3 * perPhase; seq++) {
      emit(logger, seq);
    }
    int total = 3 * perPhase;
    await().atMost(Duration.ofSeconds(60)).until(() -> count(stream) >= total);
    assertThat(count(stream)).isEqualTo(total);
    JsonNode distinct = search(stream, "{\"size\":0,\"aggs\":{\"seqs\":{\"cardinality\":"
        + "{\"field\":\"numeric_labels.seq\",\"precision_threshold\":40000}}}}");
    assertThat(distinct.at("/aggregations/seqs/value").asLong()).isEqualTo(total);
    assertThat(metric(gateway, "otelcol_exporter_send_failed_log_records_total")).isZero();
  }

  private static boolean isUp() {
    try {
      return call("GET", "/", null).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static void emit(Logger logger, int seq) {
    logger.logRecordBuilder().setSeverity(Severity.INFO).setBody("record " + seq)
        .setAttribute(AttributeKey.longKey("seq"), (long) seq).emit();
  }

  @Test
  void documentConflictingWithTheMappingIsDroppedAndCountedOthersIndexed() throws Exception {
    startGateway("conflict", "");
    SdkLoggerProvider provider = logs("conflict");
    Logger logger = provider.get("conflict");
    for (int i = 0; i < 5; i++) {
      var b = logger.logRecordBuilder().setSeverity(Severity.WARN).setBody("request " + i);
      if (i == 2) {
        // http.response.status_code is a long in the ECS template: this value cannot be one.
        b.setAttribute(AttributeKey.stringKey("http.response.status_code"), "not-a-number");
      } else {
        b.setAttribute(AttributeKey.longKey("http.response.status_code"), 200L + i);
      }
      b.emit();
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    String stream = "logs-conflict-default";
    await().atMost(Duration.ofSeconds(30)).until(() ->
        metric(gateway, "vigil_exporter_rejected_documents_total", "reason",
            "mapper_parsing_exception") == 1.0);
    assertThat(count(stream)).isEqualTo(4);
    assertThat(metric(gateway, "otelcol_exporter_sent_log_records_total"))
        .isEqualTo(4.0);
    assertThat(metric(gateway, "otelcol_exporter_send_failed_log_records_total", "reason", "rejected"))
        .isEqualTo(1.0);
    assertThat(search(stream, "{\"query\":{\"match\":{\"message\":\"request 2\"}}}")
        .at("/hits/hits").findValuesAsText("message")).doesNotContain("request 2");
  }
}
