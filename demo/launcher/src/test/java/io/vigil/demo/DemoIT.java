package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.vigil.core.testing.CaptureExporterFactory;
import io.vigil.core.testing.FreePort;
import io.vigil.gateway.Gateway;
import java.io.IOException;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as a user runs it — the launcher jar starting the gateway jar, four services under
 * vigil-agent and the smoke scenario — with the demo's gateway forwarding over OTLP to a
 * gateway in this test that keeps everything it receives.
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
    Path config = work.resolve("demo-gateway.yaml");
    Files.writeString(config, String.join("\n",
        "receivers:",
        "  otlp:",
        "    protocols:",
        "      grpc: {endpoint: '${env:VIGIL_OTLP_GRPC_ENDPOINT}'}",
        "      http: {endpoint: '${env:VIGIL_OTLP_HTTP_ENDPOINT}'}",
        "processors: {batch: {timeout: 200ms}}",
        "exporters: {otlp: {endpoint: '" + sinkEndpoint + "', tls: {insecure: true}}}",
        "service:",
        "  telemetry: {metrics: {address: '${env:VIGIL_ADMIN_ENDPOINT}'}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], processors: [batch], exporters: [otlp]}",
        "    metrics: {receivers: [otlp], processors: [batch], exporters: [otlp]}",
        "    logs: {receivers: [otlp], processors: [batch], exporters: [otlp]}"));
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
    // What Ctrl-C does: the launcher stops everything it started.
    // (Process.destroy() would also close our end of its output, losing what it prints while stopping.)
    launcher.toHandle().destroy();
    assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
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
