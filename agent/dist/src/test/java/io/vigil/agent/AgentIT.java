package io.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.Flatten;
import io.vigil.testing.FreePort;
import io.vigil.gateway.Gateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real application in a child JVM with nothing but {@code -javaagent:vigil-agent.jar} and the
 * gateway's address, sending to a real Vigil gateway started here.
 */
class AgentIT {

  private static final Path AGENT = Path.of(System.getProperty("vigil.agent.jar",
      "target/vigil-agent.jar"));
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final Pattern LOG_LINE = Pattern.compile(
      "LOG trace_id=(\\S*) span_id=(\\S*) trace.id=(\\S*) span.id=(\\S*) service.name=(\\S*) msg=(.*)");

  private Gateway gateway;

  @BeforeEach
  void reset() {
    CaptureExporterFactory.reset();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private String startGateway(String httpEndpoint) {
    gateway = Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {http: {endpoint: '" + httpEndpoint + "'}}}}",
        "exporters: {capture: {sink: agent}}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [capture]}",
        "    metrics: {receivers: [otlp], exporters: [capture]}",
        "    logs: {receivers: [otlp], exporters: [capture]}"), Duration.ofSeconds(2));
    return "http://" + httpEndpoint;
  }

  /** Exports quickly, so the test does not wait for the agent's default intervals. */
  private static Map<String, String> fastExport() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
    env.put("OTEL_BLRP_SCHEDULE_DELAY", "200");
    env.put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
    return env;
  }

  static Stream<Path> javas() {
    Path current = Path.of(System.getProperty("java.home"), "bin", "java");
    return Stream.of(current, TEMURIN_25);
  }

  private static String hex(com.google.protobuf.ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  private static Optional<String> attr(List<KeyValue> attrs, String key) {
    return attrs.stream().filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().getStringValue()).findFirst();
  }

  private static List<ExportTraceServiceRequest> spans() {
    return Flatten.spans(CaptureExporterFactory.sink("agent").get(Signal.TRACES).batches());
  }

  private static Span span(ExportTraceServiceRequest r) {
    return r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  private static List<ExportLogsServiceRequest> logs() {
    return Flatten.logs(CaptureExporterFactory.sink("agent").get(Signal.LOGS).batches());
  }

  private static LogRecord record(ExportLogsServiceRequest r) {
    return r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
  }

  @ParameterizedTest
  @MethodSource("javas")
  void tracesLogsAndMdcLineUpForOneRequest(Path java) throws Exception {
    Assumptions.assumeTrue(Files.exists(AGENT), "vigil-agent.jar not built: run mvn verify");
    Assumptions.assumeTrue(Files.isExecutable(java), "no JDK at " + java + " on this machine");
    String endpoint = startGateway(FreePort.endpoint());
    Map<String, String> env = fastExport();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
    try (DemoProcess app = DemoProcess.start(java, AGENT, List.of("-Dotel.service.name=storefront"), env)) {
      assertThat(app.get("/hello")).isEqualTo("hello from backend");

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(spans()).as(app.output()).hasSizeGreaterThanOrEqualTo(3));
      Span hello = spans().stream().map(AgentIT::span)
          .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
              && attr(s.getAttributesList(), "url.path").orElse("").equals("/hello"))
          .findFirst().orElseThrow(() -> new AssertionError("no /hello server span: " + spans()));
      Span client = spans().stream().map(AgentIT::span)
          .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
          .findFirst().orElseThrow();
      Span backend = spans().stream().map(AgentIT::span)
          .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
              && attr(s.getAttributesList(), "url.path").orElse("").equals("/backend"))
          .findFirst().orElseThrow();
      assertThat(client.getTraceId()).isEqualTo(hello.getTraceId());
      assertThat(client.getParentSpanId()).isEqualTo(hello.getSpanId());
      assertThat(backend.getTraceId()).isEqualTo(hello.getTraceId());
      assertThat(backend.getParentSpanId()).isEqualTo(client.getSpanId());
      Resource resource = spans().get(0).getResourceSpans(0).getResource();
      assertThat(attr(resource.getAttributesList(), "service.name")).hasValue("storefront");

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(logs()).extracting(r -> record(r).getBody().getStringValue())
              .contains("handling hello", "backend called"));
      LogRecord handling = logs().stream().map(AgentIT::record)
          .filter(r -> r.getBody().getStringValue().equals("handling hello")).findFirst().orElseThrow();
      assertThat(handling.getTraceId()).isEqualTo(hello.getTraceId());
      assertThat(handling.getSpanId()).isEqualTo(hello.getSpanId());
      LogRecord called = logs().stream().map(AgentIT::record)
          .filter(r -> r.getBody().getStringValue().equals("backend called")).findFirst().orElseThrow();
      assertThat(called.getSpanId()).isEqualTo(backend.getSpanId());
      assertThat(called.getSeverityText()).isEqualTo("WARN");

      Matcher line = app.lines.stream().map(LOG_LINE::matcher).filter(Matcher::matches)
          .filter(m -> m.group(6).equals("handling hello")).findFirst()
          .orElseThrow(() -> new AssertionError("no MDC line:\n" + app.output()));
      assertThat(line.group(1)).isEqualTo(hex(hello.getTraceId()));
      assertThat(line.group(3)).as("ECS trace.id").isEqualTo(hex(hello.getTraceId()));
      assertThat(line.group(2)).isEqualTo(hex(hello.getSpanId()));
      assertThat(line.group(4)).as("ECS span.id").isEqualTo(hex(hello.getSpanId()));
      assertThat(line.group(5)).isEqualTo("storefront");
    }
  }

  @Test
  void onKubernetesTheResourceHasPodAttributesAndTheEndpointIsTheNode() throws Exception {
    Assumptions.assumeTrue(Files.exists(AGENT), "vigil-agent.jar not built: run mvn verify");
    // The default endpoint is the node address on the standard OTLP/HTTP port.
    boolean free;
    try (ServerSocket probe = new ServerSocket(4318, 1, InetAddress.getLoopbackAddress())) {
      free = true;
    } catch (java.io.IOException e) {
      free = false;
    }
    Assumptions.assumeTrue(free, "port 4318 is taken on this machine; the default endpoint"
        + " cannot be checked here");
    startGateway("127.0.0.1:4318");
    Map<String, String> env = fastExport();
    env.put("HOST_IP", "127.0.0.1");
    env.put("K8S_POD_NAME", "checkout-7d9f8-abcde");
    env.put("K8S_NAMESPACE_NAME", "shop");
    env.put("K8S_NODE_NAME", "node-3");
    env.put("K8S_CONTAINER_NAME", "app");
    env.put("K8S_DEPLOYMENT_NAME", "checkout");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (DemoProcess app = DemoProcess.start(java, AGENT, List.of(), env)) {
      app.get("/hello");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(spans()).as(app.output()).isNotEmpty());
      List<KeyValue> resource = spans().get(0).getResourceSpans(0).getResource().getAttributesList();
      assertThat(attr(resource, "k8s.pod.name")).hasValue("checkout-7d9f8-abcde");
      assertThat(attr(resource, "k8s.namespace.name")).hasValue("shop");
      assertThat(attr(resource, "k8s.node.name")).hasValue("node-3");
      assertThat(attr(resource, "k8s.container.name")).hasValue("app");
      assertThat(attr(resource, "k8s.deployment.name")).hasValue("checkout");
      assertThat(attr(resource, "service.name")).as("named after the deployment").hasValue("checkout");
    }
  }

  @Test
  void anAppWithoutAServiceNameIsNamedAfterItsMainClass() throws Exception {
    Assumptions.assumeTrue(Files.exists(AGENT), "vigil-agent.jar not built: run mvn verify");
    Map<String, String> env = fastExport();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", startGateway(FreePort.endpoint()));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (DemoProcess app = DemoProcess.start(java, AGENT, List.of(), env)) {
      app.get("/hello");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(spans()).as(app.output()).isNotEmpty());
      List<KeyValue> resource = spans().get(0).getResourceSpans(0).getResource().getAttributesList();
      assertThat(attr(resource, "service.name")).hasValue("DemoApp");
    }
  }

  @Test
  void aStandardOtelPropertyOverridesVigilsDefault() throws Exception {
    Assumptions.assumeTrue(Files.exists(AGENT), "vigil-agent.jar not built: run mvn verify");
    // Vigil's default endpoint is http://localhost:4318; the -D property must win over it, and
    // Vigil's default MDC resource attributes (service.name) must yield to the property too.
    String endpoint = startGateway(FreePort.endpoint());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (DemoProcess app = DemoProcess.start(java, AGENT, List.of(
        "-Dotel.exporter.otlp.endpoint=" + endpoint,
        "-Dotel.service.name=override-check",
        "-Dotel.instrumentation.common.mdc.resource-attributes=service.namespace"), fastExport())) {
      app.get("/hello");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(spans()).as(app.output()).isNotEmpty());
      Matcher line = app.lines.stream().map(LOG_LINE::matcher).filter(Matcher::matches)
          .filter(m -> m.group(6).equals("handling hello")).findFirst().orElseThrow();
      assertThat(line.group(5)).as("service.name no longer in the MDC").isEmpty();
      List<KeyValue> resource = spans().get(0).getResourceSpans(0).getResource().getAttributesList();
      assertThat(attr(resource, "service.name")).hasValue("override-check");
      assertThat(line.group(1)).isNotEmpty();
    }
  }
  /**
   * Issue #17, defect 5: the repackaged jar keeps the upstream manifest as its first entry (what
   * {@link java.util.jar.JarInputStream} and the agent's own version lookup read), so the agent
   * knows its version, and resources name Vigil's distribution and version.
   */
  @Test
  void theAgentKnowsItsVersionAndResourcesNameTheVigilDistro() throws Exception {
    Assumptions.assumeTrue(Files.exists(AGENT), "vigil-agent.jar not built: run mvn verify");
    try (java.util.jar.JarInputStream jar =
        new java.util.jar.JarInputStream(Files.newInputStream(AGENT))) {
      assertThat(jar.getManifest()).as("manifest found as the first entry").isNotNull();
      assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("io.opentelemetry.javaagent.OpenTelemetryAgent");
    }
    String vigilVersion = System.getProperty("vigil.version");
    assertThat(vigilVersion).as("vigil.version from the pom").isNotBlank();
    Map<String, String> env = fastExport();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", startGateway(FreePort.endpoint()));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try (DemoProcess app = DemoProcess.start(java, AGENT, List.of(), env)) {
      app.get("/hello");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(spans()).as(app.output()).isNotEmpty());
      List<KeyValue> resource = spans().get(0).getResourceSpans(0).getResource().getAttributesList();
      assertThat(attr(resource, "telemetry.distro.name")).hasValue("vigil");
      assertThat(attr(resource, "telemetry.distro.version")).hasValue(vigilVersion);
      assertThat(app.lines).as(app.output())
          .anySatisfy(l -> assertThat(l).matches(".*opentelemetry-javaagent - version: \\d.*"))
          .noneSatisfy(l -> assertThat(l).contains("version: null"));
    }
  }
}
