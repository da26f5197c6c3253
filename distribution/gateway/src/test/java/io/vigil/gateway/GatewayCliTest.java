package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.FreePort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class GatewayCliTest {

  @TempDir Path dir;

  /** Runs the CLI in-process; returns exit code and captured stdout + stderr. */
  private record Result(int exit, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigilGateway.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Path config(String resource) throws IOException {
    String text;
    try (var in = getClass().getResourceAsStream("/configs/" + resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.replace("GRPC_ENDPOINT", FreePort.endpoint())
        .replace("HTTP_ENDPOINT", FreePort.endpoint())
        .replace("ADMIN_ENDPOINT", FreePort.endpoint())
        .replace("SHARED_ENDPOINT", FreePort.endpoint());
    Path p = dir.resolve(resource);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void validateAcceptsAGoodConfig() throws IOException {
    Result r = run("validate", "--config", config("good.yaml").toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("is valid: 3 pipeline(s)");
  }

  @Test
  void builtInConfigIsValid() {
    Result r = run("validate");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("The built-in config is valid");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bad-unknown-type.yaml    | Error: exporters::otlpgrpc: unknown exporter type \"otlpgrpc\"",
        "bad-unknown-key.yaml     | Error: processors::batch::send_batch_sise: unknown key \"send_batch_sise\"",
        "bad-undefined.yaml       | Error: service::pipelines::logs::processors: references processor \"batch/missing\" which is not configured under processors",
        "bad-unset-env.yaml       | Error: exporters::otlp::endpoint: environment variable VIGIL_TEST_UNSET_UPSTREAM is not set",
      })
  void badConfigFailsRunAndValidateWithTheKeyPath(String file, String message) throws IOException {
    Path p = config(file);
    Result validate = run("validate", "--config", p.toString());
    assertThat(validate.exit()).isEqualTo(1);
    assertThat(validate.err()).startsWith(message);

    Result start = run("--config", p.toString());
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).startsWith(message);
  }

  /** The Collector's core #4613: every mistake at once, one line each with its key path. */
  @Test
  void severalMistakesAreAllReportedByValidateAndStart() throws IOException {
    Path p = config("bad-several.yaml");
    for (String[] args : List.of(new String[] {"validate", "--config", p.toString()},
        new String[] {"--config", p.toString()})) {
      Result r = run(args);
      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err().lines().filter(l -> l.startsWith("Error: ")).map(l -> l.substring(7,
          l.indexOf(": ", 7))).toList()).as(r.err()).containsExactly(
              "receivers::fluentforward::max_frame_size_mib",
              "processors::batch::send_batch_sise",
              "processors::memory_limiter::limit_mib",
              "exporters::otlp::tls::insecure",
              "service::pipelines::logs::processors");
      assertThat(r.err()).contains("5 problems in the config");
    }
  }

  @Test
  void portInUseFailsRunAndValidateNamingTheEndpointKey() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String yaml = Files.readString(config("good.yaml"))
          .replaceFirst("endpoint: 127\\.0\\.0\\.1:\\d+", "endpoint: 127.0.0.1:" + taken.getLocalPort());
      Path p = dir.resolve("port-in-use.yaml");
      Files.writeString(p, yaml);

      Result validate = run("validate", "--config", p.toString());
      assertThat(validate.exit()).isEqualTo(1);
      assertThat(validate.err())
          .startsWith("Error: receivers::otlp::protocols::grpc::endpoint: cannot listen on 127.0.0.1:"
              + taken.getLocalPort());

      Result start = run("--config", p.toString());
      assertThat(start.exit()).isEqualTo(1);
      assertThat(start.err()).startsWith("Error: receivers::otlp").contains(
          String.valueOf(taken.getLocalPort()));
    }
  }

  /** Issue #17, defect 4: a server-side exporter endpoint is probed like a receiver's. */
  @Test
  void prometheusExporterEndpointInUseFailsValidateAndStartNamingKeyAndAddress()
      throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String busy = "127.0.0.1:" + taken.getLocalPort();
      Path p = config("prometheus-exporter.yaml");
      Files.writeString(p, Files.readString(p).replace("PROMETHEUS_ENDPOINT", busy));
      String expected = "Error: exporters::prometheus::endpoint: cannot listen on " + busy;

      Result validate = run("validate", "--config", p.toString());
      assertThat(validate.exit()).isEqualTo(1);
      assertThat(validate.err()).startsWith(expected);

      Result start = run("--config", p.toString());
      assertThat(start.exit()).isEqualTo(1);
      assertThat(start.err()).startsWith(expected);
    }
  }

  /** Issue #17, defect 4: one port given to two servers is caught, naming both key paths. */
  @Test
  void onePortForTwoServersFailsValidateAndStartNamingBothKeys() throws IOException {
    Path p = config("bad-shared-port.yaml");
    String shared = Files.readString(p).lines().filter(l -> l.contains("address:"))
        .findFirst().orElseThrow().replaceAll(".*address: *", "").trim();
    String expected = "Error: receivers::otlp::protocols::grpc::endpoint: " + shared
        + " is also service::telemetry::metrics::address";

    Result validate = run("validate", "--config", p.toString());
    assertThat(validate.exit()).isEqualTo(1);
    assertThat(validate.err()).startsWith(expected);

    Result start = run("--config", p.toString());
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).startsWith(expected);
  }

  /** Issue #17: the defaults a new user must not have to find in scripts are in --help. */
  @Test
  void helpStatesTheDefaults() {
    Result r = run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("VIGIL_OTLP_GRPC_ENDPOINT", "VIGIL_OTLP_HTTP_ENDPOINT",
        "VIGIL_ADMIN_ENDPOINT", "VIGIL_JAVA_OPTS", "0.0.0.0:4317", "-Xmx", "exits 0, or 3");
  }

  @Test
  void missingFileIsReported() {
    Result r = run("validate", "--config", dir.resolve("nope.yaml").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void componentsListsBuiltInTypes() {
    Result r = run("components");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines())
        .anySatisfy(l -> assertThat(l).startsWith("receivers: ").contains("otlp")
            .contains("fluentforward"))
        .anySatisfy(l -> assertThat(l).startsWith("processors: ").contains("batch")
            .contains("memory_limiter"))
        .anySatisfy(l -> assertThat(l).startsWith("exporters: ").contains("otlphttp")
            .contains("jaeger").contains("debug"));
  }

  /**
   * In a real process, as a user runs it: picocli's stdout is buffered, and the process exits
   * with {@code System.exit}, so the text must be flushed before (issue #17, defect 1).
   */
  @Test
  void realProcessPrintsTheBuiltInConfig() throws Exception {
    Process proc = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            VigilGateway.class.getName(), "default-config"))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String printed = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.waitFor(60, TimeUnit.SECONDS)).as("process ends").isTrue();
    assertThat(proc.exitValue()).isZero();
    assertThat(printed).isEqualTo(VigilGateway.ConfigSource.defaultConfigText());
    Path saved = dir.resolve("printed.yaml");
    Files.writeString(saved, printed);
    Result r = run("validate", "--config", saved.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("is valid: 3 pipeline(s)");
  }

  @Test
  void realProcessExitsNonZeroOnBadConfig() throws Exception {
    Path p = config("bad-unknown-key.yaml");
    Process proc = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            VigilGateway.class.getName(), "--config", p.toString()))
        .redirectErrorStream(true)
        .start();
    assertThat(proc.waitFor(60, TimeUnit.SECONDS)).as("process ends").isTrue();
    String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(proc.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("Error: processors::batch::send_batch_sise: unknown key");
  }
}
