package io.vigil.receiver.fluentforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code security::lockout} end to end: an address that failed the user handshake
 * {@code max_failures} times is disconnected before the HELO, even with the right password,
 * until {@code duration} has passed; a passing handshake clears the count.
 */
class FluentForwardLockoutTest {

  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FluentForwardReceiver receiver;

  @BeforeEach
  void start() {
    FluentForwardConfig c = new FluentForwardConfig();
    c.endpoint = "127.0.0.1:0";
    c.security.sharedKey = "s3cret";
    c.security.userAuth = true;
    c.security.users = List.of(TestReceivers.user("alice", "wonderland"));
    c.security.lockout.maxFailures = 3;
    c.security.lockout.window = Duration.ofMinutes(1);
    c.security.lockout.duration = Duration.ofSeconds(2);
    receiver = TestReceivers.start(c, telemetry, logs);
  }

  @AfterEach
  void stop() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  /** One handshake with this password; true when the PONG accepts it. */
  private boolean handshake(String password) throws Exception {
    try (SpecForwardClient client = new SpecForwardClient(receiver.port(), null)) {
      client.readHelo();
      return client.ping("s3cret", "alice", password).get(1).asBooleanValue().getBoolean();
    }
  }

  @Test
  void anAddressThatKeepsFailingIsRefusedEvenWithTheRightPasswordUntilTheLockOutEnds()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(handshake("guess-" + i)).isFalse();
    }
    try (SpecForwardClient locked = new SpecForwardClient(receiver.port(), null)) {
      assertThat(locked.closedByServer()).as("closed without a HELO").isTrue();
    }
    assertThat(Metrics.value(telemetry, "vigil_receiver_protocol_errors", "reason",
        "locked_out")).isEqualTo(1.0);
    assertThat(Metrics.value(telemetry, "vigil_receiver_unauthenticated_requests",
        "receiver", "fluentforward", "transport", "tcp")).isEqualTo(4.0);

    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions().until(() -> handshake("wonderland"));
    try (SpecForwardClient client = new SpecForwardClient(receiver.port(), null)) {
      client.readHelo();
      assertThat(client.ping("s3cret", "alice", "wonderland").get(1).asBooleanValue()
          .getBoolean()).isTrue();
      assertThat(client.sendAcked("app", "after the lock-out", "c1")).isEqualTo("c1");
    }
    assertThat(logs.batchCount()).as("only the record sent after the lock-out").isEqualTo(1);
  }

  @Test
  void aPassingHandshakeStartsTheCountAfresh() throws Exception {
    assertThat(handshake("guess-1")).isFalse();
    assertThat(handshake("guess-2")).isFalse();
    assertThat(handshake("wonderland")).isTrue();
    assertThat(handshake("guess-3")).isFalse();
    assertThat(handshake("guess-4")).isFalse();
    assertThat(handshake("wonderland")).as("two failures since the last success").isTrue();
    assertThat(Metrics.value(telemetry, "vigil_receiver_protocol_errors", "reason",
        "locked_out")).isZero();
  }
}
