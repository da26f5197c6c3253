package io.vigil.demo;

import io.vigil.demo.traffic.GroundTruthLog;
import io.vigil.demo.traffic.RecoveryLog;
import io.vigil.demo.traffic.Scenario;
import io.vigil.demo.traffic.TrafficGenerator;
import io.vigil.demo.traffic.TrafficStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One demo: the gateway, the four services under vigil-agent, and the traffic generator playing
 * a scenario; everything stopped at the end, on Ctrl-C, or when starting fails.
 */
final class DemoRun {

  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  /** The demo's gateway config: a launcher resource, written to the work dir under this name. */
  static final String DEMO_CONFIG = "gateway-demo.yaml";
  /** Per fault, when its errors stopped: the time to recovery, in the work dir. */
  static final String RECOVERY_FILE = "recovery.jsonl";

  private final DemoLayout layout;
  private final DemoPorts ports;
  private final Scenario scenario;
  private final Path workDir;
  private final Path gatewayConfig;
  private final boolean echoGateway;
  private final PrintStream out;
  private final boolean remediation;
  private final DemoServices services;
  private LauncherControl control;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private ChildProcess gateway;
  private volatile TrafficGenerator generator;
  /** Counted down once the generator has switched its faults off and written their labels. */
  private final CountDownLatch trafficDone = new CountDownLatch(1);

  DemoRun(DemoLayout layout, DemoPorts ports, Scenario scenario, Path workDir, Path gatewayConfig,
      boolean echoGateway, PrintStream out) {
    this(layout, ports, scenario, workDir, gatewayConfig, echoGateway, out, false);
  }

  /** @param remediation the demo config's response rules act (else they only audit a dry run) */
  DemoRun(DemoLayout layout, DemoPorts ports, Scenario scenario, Path workDir, Path gatewayConfig,
      boolean echoGateway, PrintStream out, boolean remediation) {
    this.layout = layout;
    this.ports = ports;
    this.scenario = scenario;
    this.workDir = workDir;
    this.gatewayConfig = gatewayConfig;
    this.echoGateway = echoGateway;
    this.out = out;
    this.remediation = remediation;
    this.services = new DemoServices(layout, ports, workDir);
  }

  /** Runs to the scenario's end; a shutdown hook stops it all on Ctrl-C. */
  int run() throws Exception {
    Thread hook = new Thread(this::stopAll, "vigil-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      // Bound first: with --free-ports the port was only probed, and during the minute the
      // gateway and four agent JVMs take to start, their outgoing connections can take it.
      control = new LauncherControl(ports.launcher(), services);
      startGateway();
      out.println("Starting storefront, orders, inventory and payments under vigil-agent...");
      services.start(ports.services().keySet());
      Path labels = workDir.resolve("faults.jsonl");
      printWhereToLook(labels);
      try (GroundTruthLog truth = new GroundTruthLog(labels);
          RecoveryLog recovery = new RecoveryLog(workDir.resolve(RECOVERY_FILE))) {
        generator = new TrafficGenerator(scenario, serviceUrls(), truth, recovery);
        try {
          TrafficStats stats = generator.run();
          out.println("Scenario " + scenario.name() + " finished: " + stats);
        } finally {
          trafficDone.countDown();
        }
      }
      return 0;
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran: nothing to remove
      }
    }
  }

  private void startGateway() throws IOException, InterruptedException {
    Path config = gatewayConfigFile();
    out.println("Starting vigil-gateway with " + config + " (OTLP gRPC :" + ports.otlpGrpc()
        + ", HTTP :" + ports.otlpHttp() + ", admin :" + ports.admin() + ")");
    gateway = ChildProcess.start("gateway", gatewayCommand(config),
        gatewayEnv(ports, workDir, remediation),
        workDir.resolve("logs/gateway.log"), echoGateway ? out : null);
    gateway.awaitHealthy(URI.create("http://127.0.0.1:" + ports.admin() + "/health"),
        Duration.ofSeconds(60));
  }

  /** The config the gateway runs: the one given, else the demo's, written to the work dir. */
  Path gatewayConfigFile() throws IOException {
    if (gatewayConfig != null) {
      return gatewayConfig;
    }
    Files.createDirectories(workDir);
    Path file = workDir.resolve(DEMO_CONFIG);
    Files.writeString(file, demoConfigText(), StandardCharsets.UTF_8);
    return file;
  }

  /** The demo's gateway config as the launcher ships it. */
  static String demoConfigText() throws IOException {
    try (InputStream in = DemoRun.class.getResourceAsStream("/" + DEMO_CONFIG)) {
      if (in == null) {
        throw new IOException(DEMO_CONFIG + " is missing from the launcher's class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  List<String> gatewayCommand(Path config) {
    return List.of(layout.java().toString(), "-Xmx512m", "-jar", layout.gatewayJar().toString(),
        "--config", config.toString());
  }

  /**
   * Where the gateway listens and keeps its store and incidents; the demo config (and any other)
   * reads these variables.
   */
  static Map<String, String> gatewayEnv(DemoPorts ports, Path workDir) {
    return gatewayEnv(ports, workDir, false);
  }

  /**
   * As above; with {@code remediation} false the demo config's response rules run as a dry
   * run (the timeline says what they would have done), else they act.
   */
  static Map<String, String> gatewayEnv(DemoPorts ports, Path workDir, boolean remediation) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("VIGIL_OTLP_GRPC_ENDPOINT", "127.0.0.1:" + ports.otlpGrpc());
    env.put("VIGIL_OTLP_HTTP_ENDPOINT", "127.0.0.1:" + ports.otlpHttp());
    env.put("VIGIL_ADMIN_ENDPOINT", "127.0.0.1:" + ports.admin());
    env.put("VIGIL_PROMETHEUS_ENDPOINT", "127.0.0.1:" + ports.prometheus());
    env.put("VIGIL_CONSOLE_ENDPOINT", "127.0.0.1:" + ports.console());
    env.put("VIGIL_STORE_DIRECTORY", workDir.resolve("store").toString());
    env.put("VIGIL_INCIDENTS_ENDPOINT", "127.0.0.1:" + ports.incidents());
    env.put("VIGIL_INCIDENTS_DIRECTORY", workDir.resolve("incidents").toString());
    env.put("VIGIL_DEMO_REMEDIATION_DRY_RUN", Boolean.toString(!remediation));
    env.put("VIGIL_DEMO_ORDERS_URL", "http://127.0.0.1:" + ports.services().get("orders"));
    env.put("VIGIL_DEMO_LAUNCHER_URL", "http://127.0.0.1:" + ports.launcher());
    return env;
  }

  private Map<String, URI> serviceUrls() {
    Map<String, URI> m = new LinkedHashMap<>();
    ports.services().forEach((name, port) -> m.put(name, URI.create("http://127.0.0.1:" + port)));
    return m;
  }

  void printWhereToLook(Path labels) {
    int sf = ports.services().get("storefront");
    Path gatewayLog = workDir.resolve("logs/gateway.log");
    String alsoBelow = echoGateway ? " (also below)" : "";
    out.println();
    out.println("Vigil demo running scenario '" + scenario.name() + "' (seed " + scenario.seed() + ") for "
        + scenario.duration().toSeconds() + "s. Where to look:");
    if (gatewayConfig == null) {
      // The console first: it answers most of what the other lines do, in one place.
      out.println("  console                 http://127.0.0.1:" + ports.console() + "/"
          + " (services, traces, logs, log patterns, metrics; store in "
          + workDir.resolve("store") + ")");
      out.println("  gateway config          " + workDir.resolve(DEMO_CONFIG)
          + " (span metrics, log templates, anomaly detection, alerts)");
      out.println("  alerts                  lines with ALERT in " + gatewayLog + alsoBelow);
      out.println("  incidents               http://127.0.0.1:" + ports.incidents()
          + "/api/incidents (anomalies grouped; INCIDENT lines in the gateway output)");
      out.println("  remediation             " + (remediation
          ? "on: response rules switch orders' fallback and restart leaking services"
          : "off: response rules only audit what they would do (--remediation on to act)")
          + "; time to recovery per fault in " + workDir.resolve(RECOVERY_FILE));
      out.println("  Prometheus scrape       http://127.0.0.1:" + ports.prometheus() + "/metrics"
          + " (span metrics, log template counts, anomaly scores, the services' metrics)");
    } else {
      out.println("  gateway config          " + gatewayConfig + ", with "
          + gatewayEnv(ports, workDir).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(" ")));
    }
    out.println("  gateway output          " + gatewayLog + alsoBelow);
    out.println("  gateway health, metrics http://127.0.0.1:" + ports.admin() + "/health  http://127.0.0.1:"
        + ports.admin() + "/metrics");
    out.println("  services' ECS JSON logs " + workDir.resolve("logs") + "/{storefront,orders,inventory,payments}.log");
    out.println("  the shop                curl http://127.0.0.1:" + sf + "/api/products");
    out.println("  inject a fault          curl -X POST -H 'Content-Type: application/json' -d '{\"rate\":0.5}'"
        + " http://127.0.0.1:" + ports.services().get("payments") + "/admin/faults/error_rate");
    out.println("  fault labels (JSONL)    " + labels);
    out.println("  restart a service       curl -X POST -d '{\"service\":\"orders\"}' http://127.0.0.1:"
        + ports.launcher() + LauncherControl.RESTART);
    out.println("  OTLP for your own apps  grpc 127.0.0.1:" + ports.otlpGrpc() + ", http://127.0.0.1:"
        + ports.otlpHttp());
    out.println("Ctrl-C stops everything.");
    out.println();
  }

  /** Services first, so their last telemetry reaches the gateway; then the gateway drains. */
  void stopAll() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    TrafficGenerator g = generator;
    try {
      if (g != null) {
        g.stop();
        // On Ctrl-C the generator is still running: let it label the faults it had on.
        trafficDone.await(20, TimeUnit.SECONDS);
      }
      if (control != null) {
        control.close();
      }
      services.stopAll();
      if (gateway != null) {
        gateway.stop(STOP_GRACE);
      }
      out.println("Vigil demo stopped.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
