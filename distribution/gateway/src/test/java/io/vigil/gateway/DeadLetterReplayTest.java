package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.exporter.exporterhelper.DeadLetters;
import io.vigil.testing.FreePort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil-gateway deadletter list|replay}: a backend refuses requests for good (400-like
 * INVALID_ARGUMENT), the durable queue dead-letters them, and once the backend accepts again
 * the CLI replays them to it over gRPC, removing exactly what it accepted.
 */
class DeadLetterReplayTest {

  @TempDir Path dir;
  private RawBytesTraceSink sink;
  private Path config;
  /** The gateway's OTLP gRPC receiver. */
  private String grpc;
  private Path deadLetters;

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

  @BeforeEach
  void deadLetterThreeRequests() throws Exception {
    sink = new RawBytesTraceSink();
    sink.refusal = Status.INVALID_ARGUMENT.withDescription("schema rejected");
    grpc = FreePort.endpoint();
    config = dir.resolve("gateway.yaml");
    Files.writeString(config, String.join("\n",
        "extensions:",
        "  file_storage: {directory: '" + dir.resolve("queue") + "'}",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink.endpoint(),
        "    tls: {insecure: true}",
        "    sending_queue: {storage: file_storage}",
        "service:",
        "  extensions: [file_storage]",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}",
        ""));
    deadLetters = DeadLetters.file(dir.resolve("queue"), ComponentId.of("otlp"), Signal.TRACES);
    try (Gateway gateway = Gateway.start(Files.readString(config), Duration.ofSeconds(5));
        SdkSpanClient client = new SdkSpanClient(grpc)) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.sendBatch(4)).as("queued on disk, acknowledged").isTrue();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> DeadLetters.read(deadLetters).size() == 3);
      acknowledged = client.acknowledged;
    }
    assertThat(sink.requests).isEmpty();
  }

  private java.util.Set<com.google.protobuf.ByteString> acknowledged;

  @AfterEach
  void stopSink() throws Exception {
    sink.close();
  }

  @Test
  void listCountsTheDeadLetteredRequestsAndItems() {
    Result r = run("deadletter", "list", "--config", config.toString(), "--exporter", "otlp");
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("traces: 3 request(s), 12 spans in " + deadLetters)
        .contains("metrics: 0 request(s)").contains("logs: 0 request(s)");
  }

  @Test
  void replayToTheBackendOnceItAcceptsSendsEverySpanAndEmptiesTheFile() throws Exception {
    sink.refusal = null;
    Result r = run("deadletter", "replay", "--config", config.toString(), "--exporter", "otlp",
        "--signal", "traces", "--to", sink.endpoint());

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("traces: replayed 3 of 3 request(s) (12 spans)");
    assertThat(sink.requests).hasSize(3);
    assertThat(sink.spanIds()).hasSize(12).isEqualTo(acknowledged);
    assertThat(DeadLetters.read(deadLetters)).isEmpty();
    assertThat(run("deadletter", "list", "--config", config.toString(), "--exporter", "otlp")
        .out()).contains("traces: 0 request(s)");
  }

  @Test
  void aReplayRefusedHalfwayRemovesOnlyWhatWasAcceptedAndExitsFour() throws Exception {
    sink.acceptFirst = 1; // the first request goes through, the second is refused
    Result r = run("deadletter", "replay", "--config", config.toString(), "--exporter", "otlp",
        "--signal", "traces", "--to", sink.endpoint());

    assertThat(r.exit()).isEqualTo(DeadLetterCommand.EXIT_REPLAY_INCOMPLETE);
    assertThat(r.out()).contains("traces: replayed 1 of 3 request(s) (4 spans)");
    assertThat(r.err()).contains("INVALID_ARGUMENT").contains("schema rejected");
    assertThat(sink.requests).hasSize(1);
    assertThat(DeadLetters.read(deadLetters)).hasSize(2);

    sink.refusal = null;
    assertThat(run("deadletter", "replay", "--config", config.toString(), "--exporter", "otlp",
        "--to", sink.endpoint()).exit()).isZero();
    assertThat(sink.spanIds()).isEqualTo(acknowledged);
    assertThat(DeadLetters.read(deadLetters)).isEmpty();
  }

  @Test
  void replayIntoTheRunningGatewaysOwnReceiverGoesThroughItsQueueToTheBackend() throws Exception {
    sink.refusal = null;
    try (Gateway gateway = Gateway.start(Files.readString(config), Duration.ofSeconds(5))) {
      Result r = run("deadletter", "replay", "--config", config.toString(), "--exporter",
          "otlp", "--to", grpc);
      assertThat(r.err()).isEmpty();
      assertThat(r.exit()).isZero();
      await().atMost(Duration.ofSeconds(20)).until(() -> sink.spanIds().equals(acknowledged));
    }
    assertThat(DeadLetters.read(deadLetters)).isEmpty();
  }

  @Test
  void anExporterWithoutADurableQueueIsAnErrorNamingTheKey() {
    Result r = run("deadletter", "list", "--config", config.toString(), "--exporter", "otlp/x");
    assertThat(r.exit()).isEqualTo(VigilGateway.EXIT_CONFIG);
    assertThat(r.err()).contains("exporters::otlp/x");
  }
}
