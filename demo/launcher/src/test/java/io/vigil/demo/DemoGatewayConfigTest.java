package io.vigil.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.PipelineConfig;
import io.vigil.core.config.PipelineId;
import io.vigil.demo.traffic.Scenario;
import io.vigil.demo.traffic.ScenarioLoader;
import io.vigil.exporter.prometheus.PrometheusExporterConfig;
import io.vigil.exporter.vigilstore.VigilStoreExporterConfig;
import io.vigil.gateway.Gateway;
import io.vigil.receiver.otlp.OtlpReceiverConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway config the demo ships, checked the way the gateway checks it (strict keys, the
 * pipeline graph) and started, so a bad key or wiring fails here in seconds, not in DemoIT.
 */
class DemoGatewayConfigTest {

  @TempDir Path dir;

  private GatewayConfig load(DemoPorts ports) throws Exception {
    Map<String, String> env = DemoRun.gatewayEnv(ports, dir);
    return new ConfigLoader(ComponentRegistry.load(), new EnvSubstitution(env::get))
        .load(DemoRun.demoConfigText());
  }

  private static PipelineConfig pipeline(GatewayConfig c, String id) {
    PipelineConfig p = c.pipelines().get(PipelineId.parse(id));
    assertThat(p).as("pipeline %s", id).isNotNull();
    return p;
  }

  private static List<String> ids(List<ComponentId> ids) {
    return ids.stream().map(ComponentId::toString).toList();
  }

  @Test
  void wiresTheAnalysisPipelines() throws Exception {
    GatewayConfig c = load(DemoPorts.free());

    PipelineConfig traces = pipeline(c, "traces");
    assertThat(ids(traces.receivers())).containsExactly("otlp");
    assertThat(ids(traces.processors())).containsExactly("memory_limiter",
        "filter/control_plane", "batch");
    assertThat(ids(traces.exporters())).containsExactlyInAnyOrder("spanmetrics", "vigilstore",
        "incidents");

    PipelineConfig metrics = pipeline(c, "metrics");
    assertThat(ids(metrics.receivers())).containsExactlyInAnyOrder("otlp", "spanmetrics",
        "templatecounts");
    assertThat(ids(metrics.processors())).containsExactly("memory_limiter",
        "filter/control_plane", "batch");
    assertThat(ids(metrics.exporters())).containsExactlyInAnyOrder("prometheus", "anomaly",
        "vigilstore");

    PipelineConfig logs = pipeline(c, "logs");
    assertThat(ids(logs.receivers())).containsExactly("otlp");
    assertThat(ids(logs.processors())).containsExactly("memory_limiter", "logtemplate", "batch");
    assertThat(ids(logs.exporters())).containsExactlyInAnyOrder("vigilstore", "templatecounts",
        "alerts", "incidents");

    assertThat(ids(pipeline(c, "metrics/anomaly_scores").receivers())).containsExactly("anomaly");
    assertThat(ids(pipeline(c, "metrics/anomaly_scores").exporters()))
        .containsExactlyInAnyOrder("prometheus", "vigilstore");
    // No exporter that writes a line per batch: the terminal and gateway log stay readable.
    assertThat(c.components(ComponentKind.EXPORTER).keySet()).extracting(ComponentId::toString)
        .doesNotContain("debug");
    assertThat(ids(pipeline(c, "logs/anomaly_events").receivers())).containsExactly("anomaly");
    assertThat(ids(pipeline(c, "logs/anomaly_events").exporters())).containsExactlyInAnyOrder(
        "alerts", "incidents");
  }

  @Test
  void listensWhereTheLauncherSays() throws Exception {
    DemoPorts ports = DemoPorts.free();
    GatewayConfig c = load(ports);
    OtlpReceiverConfig otlp = (OtlpReceiverConfig) c.component(ComponentKind.RECEIVER,
        ComponentId.parse("otlp")).config();
    assertThat(otlp.protocols.grpc.endpoint).isEqualTo("127.0.0.1:" + ports.otlpGrpc());
    assertThat(otlp.protocols.http.endpoint).isEqualTo("127.0.0.1:" + ports.otlpHttp());
    PrometheusExporterConfig prometheus = (PrometheusExporterConfig) c.component(
        ComponentKind.EXPORTER, ComponentId.parse("prometheus")).config();
    assertThat(prometheus.endpoint).isEqualTo("127.0.0.1:" + ports.prometheus());
    assertThat(c.telemetry().metrics.address).isEqualTo("127.0.0.1:" + ports.admin());
    VigilStoreExporterConfig store = (VigilStoreExporterConfig) c.component(
        ComponentKind.EXPORTER, ComponentId.parse("vigilstore")).config();
    assertThat(store.console.endpoint).isEqualTo("127.0.0.1:" + ports.console());
    assertThat(store.directory).isEqualTo(dir.resolve("store").toString());
    assertThat(store.console.incidentsApi).isEqualTo("http://127.0.0.1:" + ports.incidents());
    var incidents = (io.vigil.exporter.incidents.IncidentsExporterConfig) c.component(
        ComponentKind.EXPORTER, ComponentId.parse("incidents")).config();
    assertThat(incidents.api.endpoint).isEqualTo("127.0.0.1:" + ports.incidents());
    assertThat(incidents.directory).isEqualTo(dir.resolve("incidents").toString());

    Set<String> used = new HashSet<>();
    Matcher m = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)").matcher(DemoRun.demoConfigText());
    while (m.find()) {
      used.add(m.group(1));
    }
    assertThat(DemoRun.gatewayEnv(ports, dir).keySet()).as("variables the launcher sets")
        .containsAll(used);
  }

  @Test
  void theGatewayStartsWithItAndServesTheScrapeEndpointAndTheConsole() throws Exception {
    DemoPorts ports = DemoPorts.free();
    try (Gateway g = Gateway.start(load(ports), Duration.ofSeconds(2))) {
      assertThat(g.isRunning()).isTrue();
      HttpResponse<String> scrape = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.prometheus() + "/metrics"))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      HttpResponse<String> services = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.console() + "/api/services"))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(services.statusCode()).isEqualTo(200);
      assertThat(services.body()).isEqualTo("[]");
    }
    assertThat(dir.resolve("store")).as("the store, under the work dir").isDirectory();
  }

  @Test
  void theFaultInjectorsCallsReachNoDetector() throws Exception {
    DemoPorts ports = DemoPorts.free();
    try (Gateway g = Gateway.start(load(ports), Duration.ofSeconds(2));
        SdkTracerProvider tracing = SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "orders"))))
            .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + ports.otlpGrpc()).build()))
            .build()) {
      Tracer tracer = tracing.get("test");
      tracer.spanBuilder("POST /admin/faults/{kind}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.route", "/admin/faults/{kind}").startSpan().end();
      tracer.spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.route", "/api/orders").startSpan().end();
      tracing.forceFlush().join(10, TimeUnit.SECONDS);

      // Span metrics are emitted every 10 s: the shop's call is counted, the injector's is not.
      String url = "http://127.0.0.1:" + ports.prometheus() + "/metrics";
      String scrape = Awaitility.await().atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
              .build(), HttpResponse.BodyHandlers.ofString()).body(),
              body -> body.contains("span_name=\"POST /api/orders\""));
      assertThat(scrape).doesNotContain("/admin/faults");
    }
  }

  @Test
  void theDemoConfigIsWrittenToTheWorkDirAndPassedWithConfig() throws Exception {
    DemoRun run = run(null, new ByteArrayOutputStream());
    Path written = run.gatewayConfigFile();
    assertThat(written).isEqualTo(dir.resolve("gateway-demo.yaml"));
    assertThat(Files.readString(written)).isEqualTo(DemoRun.demoConfigText());
    List<String> cmd = run.gatewayCommand(written);
    assertThat(cmd.subList(cmd.size() - 2, cmd.size()))
        .containsExactly("--config", written.toString());
  }

  @Test
  void aGivenConfigIsUsedAsItIs() throws Exception {
    Path mine = dir.resolve("mine.yaml");
    DemoRun run = run(mine, new ByteArrayOutputStream());
    assertThat(run.gatewayConfigFile()).isEqualTo(mine);
    assertThat(dir.resolve("gateway-demo.yaml")).doesNotExist();
  }

  @Test
  void printsTheConsoleFirstThenTheScrapeEndpointAndWhereAlertsGo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DemoRun run = run(null, bytes);
    run.printWhereToLook(dir.resolve("faults.jsonl"));
    String printed = bytes.toString(StandardCharsets.UTF_8);
    List<String> lines = printed.lines().toList();
    int heading = lines.indexOf(lines.stream().filter(l -> l.contains("Where to look:"))
        .findFirst().orElseThrow());
    assertThat(lines.get(heading + 1)).startsWith("  console                 http://127.0.0.1:"
        + ports.console() + "/ ");
    assertThat(printed).contains("Prometheus scrape       http://127.0.0.1:" + ports.prometheus()
        + "/metrics").contains("alerts                  lines with ALERT in "
        + dir.resolve("logs/gateway.log"));

    bytes.reset();
    run(dir.resolve("mine.yaml"), bytes).printWhereToLook(dir.resolve("faults.jsonl"));
    printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).doesNotContain("Prometheus scrape")
        .contains("VIGIL_PROMETHEUS_ENDPOINT=127.0.0.1:" + ports.prometheus())
        .contains("VIGIL_CONSOLE_ENDPOINT=127.0.0.1:" + ports.console());
  }

  private final DemoPorts ports = DemoPorts.standard();

  private DemoRun run(Path gatewayConfig, ByteArrayOutputStream out) throws Exception {
    Scenario smoke = ScenarioLoader.load("smoke");
    DemoLayout layout = new DemoLayout(Path.of("java"), Path.of("vigil-gateway.jar"),
        Path.of("vigil-agent.jar"), Path.of("services.jar"));
    return new DemoRun(layout, ports, smoke, dir, gatewayConfig, false,
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }
}
