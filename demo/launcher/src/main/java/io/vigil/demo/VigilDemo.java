package io.vigil.demo;

import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GoDuration;
import io.vigil.demo.traffic.GroundTruthLog;
import io.vigil.demo.traffic.Scenario;
import io.vigil.demo.traffic.ScenarioLoader;
import io.vigil.demo.traffic.ServicesReady;
import io.vigil.demo.traffic.TrafficGenerator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil-demo}: the whole pipeline on one machine, or just the traffic generator. */
@Command(name = "vigil-demo", mixinStandardHelpOptions = true, version = "vigil-demo 0.1.0",
    description = "Starts vigil-gateway, four demo services under vigil-agent and the traffic"
        + " generator, all on localhost; Ctrl-C stops every process.",
    subcommands = VigilDemo.Traffic.class)
public final class VigilDemo implements Callable<Integer> {

  @Option(names = "--scenario", defaultValue = "demo",
      description = "Built-in scenario (demo, steady, diurnal, spike, ramp, faults, faults-b,"
          + " faults-short, remediation, smoke, precursors, precursors-b, precursors-c) or a"
          + " scenario file."
          + " Default: ${DEFAULT-VALUE}.")
  String scenario;

  @Option(names = "--work-dir", defaultValue = "vigil-demo-run",
      description = "Where logs, the fault labels and the gateway config go. Default:"
          + " ${DEFAULT-VALUE}.")
  Path workDir;

  @Option(names = "--gateway-config",
      description = "Gateway config file instead of the demo's (span metrics, log templates,"
          + " anomaly detection, alerts; written to the work dir as gateway-demo.yaml). The"
          + " gateway's environment has VIGIL_OTLP_GRPC_ENDPOINT, VIGIL_OTLP_HTTP_ENDPOINT,"
          + " VIGIL_ADMIN_ENDPOINT and VIGIL_PROMETHEUS_ENDPOINT.")
  Path gatewayConfig;

  @Option(names = "--free-ports",
      description = "Listen on free ports instead of 4317/4318/8888/8889/8686/8687/8690 and"
          + " 8081-8084.")
  boolean freePorts;

  @Option(names = "--quiet", description = "Do not echo the gateway's output to the console.")
  boolean quiet;

  @Option(names = "--seed",
      description = "Seed of the request sequence, instead of the scenario's (default 1): runs"
          + " to train a model on and runs to test it on differ by seed.")
  Long seed;

  /** The demo config's response rules: acting, or auditing what they would do. */
  enum Remediation { on, off }

  @Option(names = "--remediation", defaultValue = "off",
      description = "on: the demo config's response rules act (switch orders' fallback on a"
          + " dependency outage, restart a service with a memory leak through this launcher);"
          + " off: they run dry, auditing on the incident what they would have done."
          + " Default: ${DEFAULT-VALUE}.")
  Remediation remediation;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new VigilDemo());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("vigil-demo: " + message(e));
      return 1;
    });
    return cl;
  }

  private static String message(Exception e) {
    if (e instanceof ConfigException c) {
      return "scenario: " + c.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  @Override
  public Integer call() throws Exception {
    Scenario s = seeded(ScenarioLoader.load(scenario), seed);
    DemoLayout layout = DemoLayout.find();
    layout.check();
    DemoPorts ports = freePorts ? DemoPorts.free() : DemoPorts.standard();
    ports.checkAvailable();
    return new DemoRun(layout, ports, s, workDir.toAbsolutePath(),
        gatewayConfig == null ? null : gatewayConfig.toAbsolutePath(), !quiet, System.out,
        remediation == Remediation.on).run();
  }

  private static Scenario seeded(Scenario s, Long seed) {
    return seed == null ? s : s.withSeed(seed);
  }

  /** Durations as the scenarios and gateway configs write them: 90s, 5m, 1m30s. */
  static final class GoDurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return GoDuration.parse(value);
    }
  }

  /** Plays a scenario against services that are already running (e.g. on Kubernetes). */
  @Command(name = "traffic", mixinStandardHelpOptions = true,
      description = "Runs only the traffic generator against running demo services.")
  static final class Traffic implements Callable<Integer> {

    @Option(names = "--scenario", defaultValue = "steady",
        description = "Built-in scenario or scenario file. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--labels", defaultValue = "faults.jsonl",
        description = "Ground-truth file for injected faults (JSON lines, appended).")
    Path labels;

    @Option(names = "--seed",
        description = "Seed of the request sequence, instead of the scenario's (default 1).")
    Long seed;

    @Option(names = "--service", description = "Address of a service: --service"
        + " storefront=http://127.0.0.1:8081 (default: the standard local ports).")
    Map<String, URI> services = new LinkedHashMap<>();

    @Option(names = "--wait-for-services", defaultValue = "0s",
        converter = GoDurationConverter.class,
        description = "Before the scenario, wait up to this long (e.g. 5m) for every service"
            + " to answer GET /admin/health; fail if one does not. Default: ${DEFAULT-VALUE}"
            + " (no wait).")
    Duration waitForServices;

    @Override
    public Integer call() throws Exception {
      Scenario s = seeded(ScenarioLoader.load(scenario), seed);
      Map<String, URI> urls = new LinkedHashMap<>();
      DemoPorts.standard().services().forEach(
          (name, port) -> urls.put(name, URI.create("http://127.0.0.1:" + port)));
      urls.putAll(services);
      if (!waitForServices.isZero()) {
        ServicesReady.await(urls, waitForServices);
      }
      try (GroundTruthLog truth = new GroundTruthLog(labels)) {
        TrafficGenerator g = new TrafficGenerator(s, urls, truth);
        Runtime.getRuntime().addShutdownHook(new Thread(g::stop));
        System.out.println("Scenario " + s.name() + " finished: " + g.run());
      }
      return 0;
    }
  }
}
