package io.vigil.gateway;

import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code vigil-gateway} command line. */
@Command(
    name = "vigil-gateway",
    mixinStandardHelpOptions = true,
    version = "vigil-gateway 0.1.0",
    description = "Receives, processes and exports telemetry; configured in the OpenTelemetry"
        + " Collector's YAML layout.",
    footer = {
      "",
      "Built-in config (print it: vigil-gateway default-config): OTLP gRPC on 0.0.0.0:4317,"
          + " OTLP HTTP on 0.0.0.0:4318, admin (/metrics, /health) on 0.0.0.0:8888, all"
          + " interfaces on purpose: a gateway serves other hosts and pods, and Kubernetes"
          + " probes reach the pod IP. Bind one interface with the variables below, e.g."
          + " VIGIL_OTLP_GRPC_ENDPOINT=127.0.0.1:4317.",
      "",
      "Environment:",
      "  VIGIL_OTLP_GRPC_ENDPOINT  built-in config's OTLP gRPC endpoint (0.0.0.0:4317)",
      "  VIGIL_OTLP_HTTP_ENDPOINT  built-in config's OTLP HTTP endpoint (0.0.0.0:4318)",
      "  VIGIL_ADMIN_ENDPOINT      built-in config's admin address (0.0.0.0:8888)",
      "  VIGIL_JAVA_OPTS           JVM options for bin/vigil-gateway, e.g. -Xmx1g",
      "",
      "Heap: without -Xmx the JVM takes a quarter of the machine's or container's memory, and"
          + " memory_limiter's limit_percentage / spike_limit_percentage are of that heap. Set"
          + " -Xmx (or -XX:MaxRAMPercentage=75 in a container) on purpose.",
      "",
      "Stopping: SIGTERM or SIGINT drains the pipelines for up to --shutdown-timeout and exits"
          + " 0, or 3 when data was dropped at the deadline (the last log line gives the"
          + " count); a second signal stops at once. Exit 1: the config was refused."
    },
    subcommands = {
      VigilGateway.Validate.class,
      VigilGateway.Components.class,
      VigilGateway.PrintDefaultConfig.class,
      DeadLetterCommand.class
    })
public final class VigilGateway implements Callable<Integer> {

  /** Exit code for a config the gateway refuses, as the collector's 1. */
  static final int EXIT_CONFIG = 1;

  /**
   * Exit code of a stop (SIGTERM, SIGINT) whose drain ran into {@code --shutdown-timeout} and
   * dropped data; the log's last line gives the count. A drain that lost nothing exits 0.
   */
  static final int EXIT_DATA_DROPPED = 3;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VigilGateway.class);

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Config file (YAML, collector layout). Default: the built-in config.")
  Path config;

  @Option(
      names = "--shutdown-timeout",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "How long a shutdown may drain queues before dropping data (default: 20s).")
  Duration shutdownTimeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = commandLine();
    int code = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(code);
  }

  static CommandLine commandLine() {
    return new CommandLine(new VigilGateway());
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Gateway gateway;
    try {
      gateway = Gateway.start(ConfigSource.load(config), shutdownTimeout);
    } catch (ConfigException e) {
      printProblems(err, e);
      err.flush();
      return EXIT_CONFIG;
    }
    // Kept for exits we do not handle (SIGHUP, -Xrs, another thread calling System.exit): the
    // pipelines still drain, though the JVM then decides the exit code itself.
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "vigil-shutdown"));
    StopSignals.install(gateway);
    gateway.awaitStop();
    long dropped = gateway.droppedAtShutdown();
    return dropped > 0 ? EXIT_DATA_DROPPED : 0;
  }

  /** One {@code Error:} line per problem, so each names its own key path. */
  static void printProblems(PrintWriter err, ConfigException e) {
    for (ConfigException p : e.problems()) {
      err.println("Error: " + p.getMessage());
    }
    if (e.problems().size() > 1) {
      err.println(e.problems().size() + " problems in the config");
    }
  }

  /**
   * SIGTERM and SIGINT drain the gateway and let {@link #main} exit with the drain's result.
   *
   * <p>Why a signal handler and not only a shutdown hook: on SIGTERM the JVM's own handler starts
   * the shutdown sequence, and once that has begun the exit status is fixed at 128 + 15 = 143;
   * a hook can only run, not change it (calling {@code System.exit} in a hook blocks forever,
   * and {@code Runtime.halt} would cut the other hooks, logback's among them). Replacing the
   * JVM's handler with {@code sun.misc.Signal} (jdk.unsupported, exported for exactly this, and
   * present in every JDK 17+) means no shutdown begins on the signal: the handler drains the
   * pipelines while the JVM is fully alive (logging, executors), {@code call()} returns 0 or
   * {@link #EXIT_DATA_DROPPED}, and {@code main} calls {@code System.exit} with it, so the usual
   * shutdown hooks run after the drain. If the handler cannot be installed (the JVM runs with
   * {@code -Xrs}, or the signal is reserved), the shutdown hook above still drains, with the
   * JVM's exit code. A second signal during the drain stops at once with 128 + the signal
   * number, for an operator who will not wait.
   */
  static final class StopSignals {
    private StopSignals() {}

    static void install(Gateway gateway) {
      java.util.concurrent.atomic.AtomicBoolean draining =
          new java.util.concurrent.atomic.AtomicBoolean();
      for (String name : new String[] {"TERM", "INT"}) {
        try {
          sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
            if (draining.compareAndSet(false, true)) {
              log.info("SIG{} received", signal.getName());
              // The JVM runs this handler on a thread of its own; closing here is safe.
              gateway.close();
            } else {
              log.warn("SIG{} received again while draining: stopping now, dropping what is"
                  + " still queued", signal.getName());
              Runtime.getRuntime().halt(128 + signal.getNumber());
            }
          });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
          log.debug("Cannot handle SIG{} ({}); the shutdown hook drains instead", name,
              e.getMessage());
        }
      }
    }
  }

  /** {@code vigil-gateway validate}: loads and checks a config without starting anything. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Checks a config (keys, references, env vars, free ports) and exits.")
  static final class Validate implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file.")
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try {
        GatewayConfig c = ConfigSource.load(config);
        PortProbe.checkFree(c);
        spec.commandLine().getOut().printf(
            "%s is valid: %d pipeline(s)%n",
            config == null ? "The built-in config" : config.toString(),
            c.pipelines().size());
        return 0;
      } catch (ConfigException e) {
        printProblems(spec.commandLine().getErr(), e);
        return EXIT_CONFIG;
      }
    }
  }

  /** {@code vigil-gateway components}: lists the component types on the class path. */
  @Command(name = "components", mixinStandardHelpOptions = true,
      description = "Lists the component types this gateway build knows.")
  static final class Components implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      ComponentRegistry r = ComponentRegistry.load();
      for (ComponentKind k : ComponentKind.values()) {
        spec.commandLine().getOut().println(k.section() + ": " + String.join(", ", r.types(k)));
      }
      return 0;
    }
  }

  /** {@code vigil-gateway default-config}: prints the built-in config, a starting point. */
  @Command(name = "default-config", mixinStandardHelpOptions = true,
      description = "Prints the built-in config.")
  static final class PrintDefaultConfig implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      out.print(ConfigSource.defaultConfigText());
      // picocli's stdout is a buffered PrintWriter that autoflushes on println only, and main
      // ends in System.exit: without this flush a real process printed nothing.
      out.flush();
      return 0;
    }
  }

  /** Parses Go-style durations on the command line too. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return io.vigil.core.config.GoDuration.parse(value);
    }
  }

  /** Where the config comes from: a file, or the built-in default. */
  static final class ConfigSource {
    private ConfigSource() {}

    static GatewayConfig load(Path file) {
      io.vigil.core.config.ConfigLoader loader =
          new io.vigil.core.config.ConfigLoader(ComponentRegistry.load());
      GatewayConfig config;
      if (file != null) {
        config = loader.load(file);
      } else {
        try {
          config = loader.load(defaultConfigText());
        } catch (IOException e) {
          throw new ConfigException("", "built-in config missing from the jar: " + e);
        }
      }
      // Read outside core's loader (core does not know configtls): checked here, for validate.
      AdminServer.tlsSettings(config.telemetry().metrics.tls);
      return config;
    }

    static String defaultConfigText() throws IOException {
      try (InputStream in = VigilGateway.class.getResourceAsStream("/default-config.yaml")) {
        if (in == null) {
          throw new IOException("/default-config.yaml not found");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
