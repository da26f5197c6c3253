package io.vigil.receiver.fluentforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User authentication over TLS with a real client that implements the handshake on its own:
 * fluent-logger-node (npm {@code fluent-logger} 3.4.1), installed into {@code target/} with npm.
 * Skipped, saying why, where node or npm (or the registry) is missing.
 */
class FluentForwardNodeClientTest {

  private static final Path CLIENT = Path.of("target", "fluent-logger-node");

  @TempDir Path dir;
  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private TestCertificates.Ca ca;
  private FluentForwardReceiver receiver;

  private record Run(int exit, String output) {}

  @BeforeAll
  static void installClient() throws Exception {
    Assumptions.assumeTrue(run(Path.of("."), "node", "--version").exit() == 0,
        "node is not installed: fluent-logger-node cannot run");
    if (Files.isDirectory(CLIENT.resolve("node_modules/fluent-logger"))) {
      return;
    }
    Files.createDirectories(CLIENT);
    for (String file : List.of("send.js", "package.json")) {
      try (InputStream in = FluentForwardNodeClientTest.class.getResourceAsStream(
          "/fluent-logger-node/" + file)) {
        Files.write(CLIENT.resolve(file), in.readAllBytes());
      }
    }
    Run install = run(CLIENT, "npm", "install", "--no-audit", "--no-fund");
    Assumptions.assumeTrue(install.exit() == 0,
        "npm could not install fluent-logger: " + install.output());
  }

  private static Run run(Path workDir, String... command) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .start();
    } catch (IOException notInstalled) {
      return new Run(-1, notInstalled.getMessage());
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-1, command[0] + " did not finish in 120 s");
    }
    return new Run(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @BeforeEach
  void start() {
    ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued server = ca.server(dir, "server");
    FluentForwardConfig c = new FluentForwardConfig();
    c.endpoint = "127.0.0.1:0";
    c.tls = new TlsServerSettings();
    c.tls.certFile = server.certFile().toString();
    c.tls.keyFile = server.keyFile().toString();
    c.security.sharedKey = "s3cret";
    c.security.userAuth = true;
    c.security.users = List.of(TestReceivers.user("alice", "wonderland"));
    receiver = TestReceivers.start(c, telemetry, logs);
  }

  @AfterEach
  void stop() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  private Run send(String username, String password, int count) throws Exception {
    return run(CLIENT, "node", "send.js", String.valueOf(receiver.port()),
        ca.certFile().toAbsolutePath().toString(), "s3cret", username, password,
        String.valueOf(count));
  }

  private long records() {
    return logs.batches().stream().flatMap(b -> b.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .mapToLong(sl -> sl.getLogRecordsCount()).sum();
  }

  @Test
  void theRightUserDeliversEveryRecordOverTls() throws Exception {
    Run r = send("alice", "wonderland", 20);
    assertThat(r.output()).as("exit %d", r.exit()).contains("RESULT: ok");
    await().atMost(Duration.ofSeconds(10)).until(() -> records() >= 20);
    assertThat(records()).isEqualTo(20);
  }

  @Test
  void aWrongPasswordIsRefusedCountedAndDeliversNothing() throws Exception {
    Run r = send("alice", "guess", 5);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .contains("RESULT: Authentication failed: username/password mismatch");
    assertThat(Metrics.value(telemetry, "vigil_receiver_unauthenticated_requests",
        "receiver", "fluentforward", "transport", "tcp")).isEqualTo(1.0);
    assertThat(logs.batchCount()).isZero();
  }
}
