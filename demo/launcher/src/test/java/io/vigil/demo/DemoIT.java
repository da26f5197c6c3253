package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.FreePort;
import io.vigil.gateway.Gateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as a user runs it — the launcher jar starting the gateway jar, four services under
 * vigil-agent and the smoke scenario — with the demo's gateway config plus an otlp exporter
 * forwarding the three OTLP pipelines to a gateway in this test that keeps everything it
 * receives (given with --gateway-config, so that option is tested too). While the demo runs, the
 * test also reads the demo gateway's own /metrics and its prometheus exporter's scrape endpoint.
 */
class DemoIT {

  private static final Path DEMO_JAR = Path.of(System.getProperty("vigil.demo.jar",
      "target/vigil-demo.jar"));
  private static final List<String> SERVICES = List.of("storefront", "orders", "inventory", "payments");
  /** Clock and export-batching slack around a labelled window. */
  private static final Duration TOLERANCE = Duration.ofSeconds(2);

  /** Kept after the run (logs, labels) for a look when something fails. */
  private static final Path work = Path.of("target/demo-it");

  private static Gateway sink;
  private static Process launcher;
  private static final StringBuilder output = new StringBuilder();
  private static final List<ProcessHandle> children = new ArrayList<>();
  private static JsonNode label;
  /** The demo gateway's admin /metrics and its prometheus exporter's scrape, just before the stop. */
  private static String adminMetrics;
  private static String scrape;
  /** The console's {@code /api/services} of the last hour, just before the stop. */
  private static JsonNode consoleServices;
  /** The console's metric list and jvm.memory.used chart of storefront, at the same moment. */
  private static JsonNode consoleMetrics;
  private static JsonNode consoleHeapChart;

  @BeforeAll
  static void runDemo() throws Exception {
    Assumptions.assumeTrue(Files.exists(DEMO_JAR), "vigil-demo.jar not built: run mvn verify");
    CaptureExporterFactory.reset();
    String sinkEndpoint = FreePort.endpoint();
    sink = Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + sinkEndpoint + "'}}}}",
        "exporters: {capture: {sink: demo}}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [capture]}",
        "    metrics: {receivers: [otlp], exporters: [capture]}",
        "    logs: {receivers: [otlp], exporters: [capture]}"), Duration.ofSeconds(2));
    deleteRecursively(work);
    Files.createDirectories(work);
    // The demo's own gateway config, plus a copy of everything to the sink.
    Path config = work.resolve("demo-gateway.yaml");
    Files.writeString(config, forwardingTo(sinkEndpoint, DemoRun.demoConfigText()));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    launcher = new ProcessBuilder(java.toString(), "-jar", DEMO_JAR.toString(),
        "--scenario", "smoke", "--free-ports", "--quiet",
        "--gateway-config", config.toString(), "--work-dir", work.resolve("run").toString())
        .redirectErrorStream(true).start();
    Thread pump = new Thread(() -> {
      try {
        launcher.getInputStream().transferTo(new java.io.OutputStream() {
          @Override
          public void write(int b) {
            synchronized (output) {
              output.append((char) b);
            }
          }
        });
      } catch (IOException ignored) {
        // the process ended
      }
    });
    pump.setDaemon(true);
    pump.start();

    Path labels = work.resolve("run/faults.jsonl");
    await("the smoke scenario's fault label").atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> !launcher.isAlive() || (Files.exists(labels) && !Files.readString(labels).isBlank()));
    assertThat(launcher.isAlive()).as("launcher ended early:\n%s", output()).isTrue();
    children.addAll(launcher.toHandle().descendants().toList());
    label = new ObjectMapper().readTree(Files.readAllLines(labels, StandardCharsets.UTF_8).get(0));
    Instant end = Instant.parse(label.get("end").asText());
    // Healthy payments traffic after the window, so "not outside it" is tested on both sides.
    await("payments spans after the fault").atMost(Duration.ofMinutes(1))
        .until(() -> serverSpans("payments").stream()
            .anyMatch(s -> start(s).isAfter(end.plus(TOLERANCE.multipliedBy(2)))));
    // What the demo's gateway shows while it runs: its own metrics and the scrape endpoint.
    adminMetrics = get(port("gateway health, metrics http://127\\.0\\.0\\.1:(\\d+)/health"));
    scrape = get(port("VIGIL_PROMETHEUS_ENDPOINT=127\\.0\\.0\\.1:(\\d+)"));
    int console = port("VIGIL_CONSOLE_ENDPOINT=127\\.0\\.0\\.1:(\\d+)");
    consoleServices = new ObjectMapper().readTree(get(console, "/api/services"));
    consoleMetrics = new ObjectMapper().readTree(get(console, "/api/services/storefront/metrics"));
    consoleHeapChart = new ObjectMapper().readTree(get(console,
        "/api/services/storefront/metrics/jvm.memory.used"));
    // What Ctrl-C does: the launcher stops everything it started.
    // (Process.destroy() would also close our end of its output, losing what it prints while stopping.)
    launcher.toHandle().destroy();
    assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
  }

  /** The demo config with an otlp exporter to {@code endpoint} in its three OTLP pipelines. */
  private static String forwardingTo(String endpoint, String demoConfig) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode root = (ObjectNode) yaml.readTree(demoConfig);
    ((ObjectNode) root.get("exporters")).putObject("otlp/sink").put("endpoint", endpoint)
        .putObject("tls").put("insecure", true);
    for (String pipeline : List.of("traces", "metrics", "logs")) {
      ((ArrayNode) root.get("service").get("pipelines").get(pipeline).get("exporters"))
          .add("otlp/sink");
    }
    return yaml.writeValueAsString(root);
  }

  /** A port the launcher printed. */
  private static int port(String regex) {
    Matcher m = Pattern.compile(regex).matcher(output());
    assertThat(m.find()).as("launcher output has %s:%n%s", regex, output()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String get(int port) throws IOException, InterruptedException {
    return get(port, "/metrics");
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET :%d%s", port, path).isEqualTo(200);
    return r.body();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    if (launcher != null && launcher.isAlive()) {
      launcher.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    if (sink != null) {
      sink.close();
    }
  }

  private static String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  @Test
  void stoppingTheDemoLeavesNoProcessBehind() {
    assertThat(children).as("gateway and four services were running").hasSizeGreaterThanOrEqualTo(5);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid))
            .as("processes left running").isEmpty());
    // Read from the launcher's pipe, which may lag its exit a little.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(output()).contains("Vigil demo stopped."));
  }

  @Test
  void everyServiceSendsSpansInTheExpectedCallGraph() {
    Map<String, String> serviceOfSpan = new HashMap<>();
    Map<String, Span> spanById = new HashMap<>();
    for (ServiceSpan s : spans()) {
      serviceOfSpan.put(hex(s.span.getSpanId()), s.service);
      spanById.put(hex(s.span.getSpanId()), s.span);
    }
    Set<String> edges = new HashSet<>();
    for (ServiceSpan s : spans()) {
      if (s.span.getKind() != Span.SpanKind.SPAN_KIND_SERVER || s.span.getParentSpanId().isEmpty()) {
        continue;
      }
      String parent = hex(s.span.getParentSpanId());
      Span client = spanById.get(parent);
      if (client != null && client.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
          && !serviceOfSpan.get(parent).equals(s.service)) {
        edges.add(serviceOfSpan.get(parent) + "->" + s.service);
      }
    }
    assertThat(edges).containsExactlyInAnyOrder("storefront->orders", "storefront->inventory",
        "orders->inventory", "orders->payments");
    for (String service : SERVICES) {
      assertThat(spans().stream().filter(s -> s.service.equals(service))
              .map(s -> attr(s.span.getAttributesList(), "db.system.name")
                  + "|" + attr(s.span.getAttributesList(), "db.system")))
          .as("JDBC spans of %s", service).anyMatch(v -> v.contains("h2"));
    }
  }

  @Test
  void logsCarryTraceIdsOfSpansTheGatewayReceived() {
    Set<String> traceIds = spans().stream().map(s -> hex(s.span.getTraceId()))
        .collect(Collectors.toSet());
    for (String service : SERVICES) {
      List<LogRecord> traced = logs(service).stream()
          .filter(r -> !r.getTraceId().isEmpty()).toList();
      assertThat(traced).as("%s logs inside traces", service).isNotEmpty();
      long matching = traced.stream().filter(r -> traceIds.contains(hex(r.getTraceId()))).count();
      assertThat((double) matching / traced.size()).as("%s logs whose trace the gateway has", service)
          .isGreaterThanOrEqualTo(0.95);
    }
  }

  @Test
  void everyServiceSendsMetrics() {
    Map<String, Set<String>> names = new HashMap<>();
    for (ExportMetricsServiceRequest r : CaptureExporterFactory.sink("demo")
        .get(Signal.METRICS).batches()) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        String service = attr(rm.getResource().getAttributesList(), "service.name");
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          sm.getMetricsList().forEach(m ->
              names.computeIfAbsent(service, k -> new HashSet<>()).add(m.getName()));
        }
      }
    }
    for (String service : SERVICES) {
      assertThat(names.get(service)).as("metrics of %s", service).isNotNull()
          .contains("http.server.request.duration", "jvm.memory.used");
    }
  }

  @Test
  void injectedErrorsShowOnTheFaultedServiceOnlyInsideTheLabelledWindow() {
    assertThat(label.get("service").asText()).isEqualTo("payments");
    assertThat(label.get("kind").asText()).isEqualTo("error_rate");
    Instant from = Instant.parse(label.get("start").asText()).minus(TOLERANCE);
    Instant to = Instant.parse(label.get("end").asText()).plus(TOLERANCE);

    List<Span> payments = serverSpans("payments");
    List<Span> errors = payments.stream()
        .filter(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).toList();
    assertThat(errors).as("error spans of payments").hasSizeGreaterThanOrEqualTo(20);
    assertThat(errors).allSatisfy(s -> assertThat(start(s)).isBetween(from, to));
    assertThat(payments).as("healthy payments spans before and after the window")
        .anyMatch(s -> start(s).isBefore(from)).anyMatch(s -> start(s).isAfter(to));

    List<LogRecord> errorLogs = logs("payments").stream()
        .filter(r -> r.getSeverityNumber().getNumber() >= SeverityNumber.SEVERITY_NUMBER_ERROR_VALUE)
        .toList();
    assertThat(errorLogs).as("error logs of payments").hasSizeGreaterThanOrEqualTo(20);
    assertThat(errorLogs).allSatisfy(r ->
        assertThat(Instant.ofEpochSecond(0, r.getTimeUnixNano())).isBetween(from, to));
  }

  @Test
  void theGatewayRunsTheDemoConfig() {
    assertThat(sum(adminMetrics, "otelcol_processor_incoming_items_total",
        "processor=\"logtemplate\"", "otel_signal=\"logs\"")).as("logs through logtemplate")
        .isPositive();
    assertThat(sum(adminMetrics, "otelcol_exporter_sent_metric_points_total", "exporter=\"prometheus\""))
        .as("points the prometheus exporter took").isPositive();
  }

  @Test
  void theConsoleListsEveryServiceWithTheInjectedErrorsOnPayments() {
    Map<String, JsonNode> byName = new HashMap<>();
    consoleServices.forEach(s -> byName.put(s.get("service").asText(), s));
    assertThat(byName.keySet()).as("services on the console").containsAll(SERVICES);
    for (String service : SERVICES) {
      assertThat(byName.get(service).get("requests").asLong()).as("requests of %s", service)
          .isPositive();
    }
    assertThat(byName.get("payments").get("errors").asLong()).as("the injected errors")
        .isGreaterThanOrEqualTo(20);
  }

  @Test
  void theConsoleChartsTheAgentsMetricsWithTheirAnomalyScores() {
    JsonNode heap = null;
    for (JsonNode m : consoleMetrics) {
      if (m.get("name").asText().equals("jvm.memory.used")) {
        heap = m;
      }
    }
    assertThat(heap).as("jvm.memory.used among storefront's metrics: %s", consoleMetrics)
        .isNotNull();
    assertThat(heap.get("scored").asBoolean()).as("scored by the anomaly connector").isTrue();
    assertThat(consoleHeapChart.get("lines")).as("a line per memory pool").isNotEmpty();
    assertThat(consoleHeapChart.get("lines")).anySatisfy(line -> {
      assertThat(line.get("values")).anySatisfy(v -> assertThat(v.asDouble()).isPositive());
      assertThat(line.get("scores")).anySatisfy(v -> assertThat(v.isNull()).isFalse());
    });
  }

  @Test
  void theScrapeEndpointServesSpanMetricsOfEveryService() {
    for (String service : SERVICES) {
      assertThat(sum(scrape, "traces_span_metrics_calls_total", "service_name=\"" + service + "\"",
          "span_kind=\"SPAN_KIND_SERVER\"")).as("server calls of %s", service).isPositive();
      assertThat(sum(scrape, "traces_span_metrics_duration_milliseconds_count",
          "service_name=\"" + service + "\"")).as("durations of %s", service).isPositive();
    }
    assertThat(sum(scrape, "traces_span_metrics_calls_total", "service_name=\"payments\"",
        "span_kind=\"SPAN_KIND_SERVER\"", "status_code=\"STATUS_CODE_ERROR\""))
        .as("the injected errors").isGreaterThanOrEqualTo(20);
  }

  @Test
  void logTemplatesAreMinedAndCounted() {
    for (String service : SERVICES) {
      List<LogRecord> records = logs(service).stream()
          .filter(r -> r.getBody().hasStringValue()).toList();
      assertThat(records).as("%s logs", service).isNotEmpty().allSatisfy(r -> {
        assertThat(attr(r.getAttributesList(), "log.template.id")).matches("[0-9a-f]{16}");
        assertThat(attr(r.getAttributesList(), "log.template")).isNotEmpty();
      });
      assertThat(sum(scrape, "log_template_records_total", "job=\"vigil-demo/" + service + "\""))
          .as("template counts of %s on the scrape endpoint", service).isPositive();
    }
    Set<String> errorTemplates = logs("payments").stream()
        .filter(r -> r.getSeverityNumber().getNumber() >= SeverityNumber.SEVERITY_NUMBER_ERROR_VALUE)
        .map(r -> attr(r.getAttributesList(), "log.template")).collect(Collectors.toSet());
    assertThat(errorTemplates).as("templates of the injected errors").hasSize(1)
        .allSatisfy(t -> assertThat(t).startsWith("Request failed: "));
  }

  @Test
  void theAnomalyConnectorScoresSpanMetricsAndTemplateCounts() {
    // Scores only: the detector stays quiet for its first 60 points (10 minutes), longer than
    // this run, so no metric anomaly is expected here.
    assertThat(sum(scrape, "vigil_anomaly_score_ratio", "metric_name=\"traces.span.metrics.calls\""))
        .as("scores of the span call counts").isNotNull();
    assertThat(sum(scrape, "vigil_anomaly_score_ratio", "metric_name=\"log.template.records\""))
        .as("scores of the template counts").isNotNull();
  }

  @Test
  void theInjectedErrorsRaiseANewTemplateAlertOnPayments() throws IOException {
    Instant from = Instant.parse(label.get("start").asText()).minus(TOLERANCE);
    Instant to = Instant.parse(label.get("end").asText()).plus(TOLERANCE);
    List<LogRecord> found = anomalies("payments").stream()
        .filter(r -> attr(r.getAttributesList(), "vigil.anomaly.kind").equals("new_template")
            && attr(r.getAttributesList(), "log.template").startsWith("Request failed: "))
        .toList();
    assertThat(found).as("new_template anomaly for the injected error").isNotEmpty();
    LogRecord anomaly = found.get(0);
    // Its window (10 s of record time) holds the first injected error.
    assertThat(nanos(anomaly, "vigil.anomaly.window.end_unix_nano")).isAfter(from);
    assertThat(nanos(anomaly, "vigil.anomaly.window.start_unix_nano")).isBefore(to);
    String id = attr(anomaly.getAttributesList(), "log.template.id");
    assertThat(Files.readAllLines(work.resolve("run/logs/gateway.log"), StandardCharsets.UTF_8))
        .as("the alerts exporter's line").anyMatch(l -> l.contains("WARN")
            && l.contains("ALERT new_template payments/" + id + " on payments: "));
  }

  /** Sum of the samples of {@code name} whose labels include all of {@code labels}; null: none. */
  private static Double sum(String exposition, String name, String... labels) {
    Double total = null;
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      // Label values may hold braces (span names such as "GET /api/{id}"): the last one closes.
      int close = line.lastIndexOf('}');
      String labelText = line.substring(name.length(), close + 1);
      if (java.util.Arrays.stream(labels).allMatch(labelText::contains)) {
        String[] parts = line.substring(close + 1).trim().split(" ");
        total = (total == null ? 0 : total) + Double.parseDouble(parts[0]);
      }
    }
    return total;
  }

  private static Instant nanos(LogRecord r, String key) {
    long n = r.getAttributesList().stream().filter(a -> a.getKey().equals(key))
        .mapToLong(a -> a.getValue().getIntValue()).findFirst().orElse(0);
    return Instant.ofEpochSecond(0, n);
  }

  /** The logtemplate processor's anomaly records about a service. */
  private static List<LogRecord> anomalies(String service) {
    List<LogRecord> out = new ArrayList<>();
    for (ExportLogsServiceRequest r : CaptureExporterFactory.sink("demo").get(Signal.LOGS).batches()) {
      for (ResourceLogs rl : r.getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          if (service(rl.getResource()).equals(service)
              && sl.getScope().getName().equals("io.vigil.logtemplate.anomaly")) {
            out.addAll(sl.getLogRecordsList());
          }
        }
      }
    }
    return out;
  }

  private record ServiceSpan(String service, Span span) {}

  private static List<ServiceSpan> spans() {
    List<ServiceSpan> out = new ArrayList<>();
    for (ExportTraceServiceRequest r : CaptureExporterFactory.sink("demo").get(Signal.TRACES).batches()) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        String service = service(rs.getResource());
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          ss.getSpansList().forEach(s -> out.add(new ServiceSpan(service, s)));
        }
      }
    }
    return out;
  }

  private static List<Span> serverSpans(String service) {
    return spans().stream().filter(s -> s.service.equals(service))
        .map(ServiceSpan::span).filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .toList();
  }

  private static List<LogRecord> logs(String service) {
    List<LogRecord> out = new ArrayList<>();
    for (ExportLogsServiceRequest r : CaptureExporterFactory.sink("demo").get(Signal.LOGS).batches()) {
      for (ResourceLogs rl : r.getResourceLogsList()) {
        if (!service(rl.getResource()).equals(service)) {
          continue;
        }
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          out.addAll(sl.getLogRecordsList());
        }
      }
    }
    return out;
  }

  private static String service(Resource r) {
    return attr(r.getAttributesList(), "service.name");
  }

  private static String attr(List<KeyValue> attrs, String key) {
    return attrs.stream().filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue()).findFirst().orElse("");
  }

  private static Instant start(Span s) {
    return Instant.ofEpochSecond(0, s.getStartTimeUnixNano());
  }

  private static String hex(com.google.protobuf.ByteString b) {
    return java.util.HexFormat.of().formatHex(b.toByteArray());
  }
}
