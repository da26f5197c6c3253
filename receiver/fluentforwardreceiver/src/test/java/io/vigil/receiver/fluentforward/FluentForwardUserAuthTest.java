package io.vigil.receiver.fluentforward;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.value.ArrayValue;

/**
 * User authentication in the forward handshake (Fluentd's {@code user_auth}), over TLS, driven
 * by {@link SpecForwardClient}: the right user gets through, a wrong password or an unknown user
 * gets a failed PONG, is counted and disconnected, and nothing it sent reaches the pipeline.
 */
class FluentForwardUserAuthTest {

  @TempDir Path dir;
  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private TestCertificates.Ca ca;
  private FluentForwardReceiver receiver;

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
    c.security.selfHostname = "gateway-1";
    c.security.userAuth = true;
    c.security.users = List.of(TestReceivers.user("alice", "wonderland"),
        TestReceivers.user("bob", "builder"));
    receiver = TestReceivers.start(c, telemetry, logs);
  }

  @AfterEach
  void stop() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  private SpecForwardClient connect() throws Exception {
    SpecForwardClient client = new SpecForwardClient(receiver.port(), ca.context(null));
    client.readHelo();
    return client;
  }

  private double unauthenticated() {
    return Metrics.value(telemetry, "vigil_receiver_unauthenticated_requests",
        "receiver", "fluentforward", "transport", "tcp");
  }

  @Test
  void userWithTheRightPasswordIsAcceptedOverTlsAndDataFlows() throws Exception {
    try (SpecForwardClient client = connect()) {
      assertThat(client.authSalt).as("HELO asks for user auth with a salt").hasSize(16);
      ArrayValue pong = client.ping("s3cret", "alice", "wonderland");
      assertThat(pong.get(1).asBooleanValue().getBoolean()).as(pong.toString()).isTrue();
      assertThat(pong.get(3).asStringValue().asString()).isEqualTo("gateway-1");
      assertThat(pong.get(4).asStringValue().asString()).as("server proves it knows the key")
          .isEqualTo(client.keyDigest("gateway-1", "s3cret"));
      assertThat(client.sendAcked("secure.app", "from alice", "c1")).isEqualTo("c1");
    }
    assertThat(logs.batches()).singleElement().satisfies(b -> assertThat(
        b.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue())
        .isEqualTo("from alice"));
    assertThat(unauthenticated()).isZero();
  }

  @Test
  void eachConnectionGetsItsOwnSalt() throws Exception {
    try (SpecForwardClient a = connect(); SpecForwardClient b = connect()) {
      assertThat(a.authSalt).isNotEqualTo(b.authSalt);
      assertThat(a.nonce).isNotEqualTo(b.nonce);
    }
  }

  @Test
  void wrongPasswordUnknownUserAndNoUserAreRefusedCountedAndDeliverNothing() throws Exception {
    String[][] refused = {{"alice", "guess"}, {"mallory", "wonderland"}, {"", ""},
        {"bob", "wonderland"}};
    for (String[] credentials : refused) {
      try (SpecForwardClient client = connect()) {
        ArrayValue pong = client.ping("s3cret", credentials[0], credentials[1]);
        assertThat(pong.get(1).asBooleanValue().getBoolean()).isFalse();
        assertThat(pong.get(2).asStringValue().asString())
            .as("the same answer, whichever of user or password was wrong")
            .isEqualTo("username/password mismatch");
        assertThat(pong.get(4).asStringValue().asString()).isEmpty();
        assertThat(client.closedByServer()).isTrue();
      }
    }
    assertThat(unauthenticated()).isEqualTo(refused.length);
    assertThat(Metrics.value(telemetry, "vigil_receiver_protocol_errors", "reason", "auth"))
        .isEqualTo(refused.length);
    assertThat(logs.batchCount()).isZero();
  }

  @Test
  void recordsSentRightAfterARefusedPingNeverReachThePipeline() throws Exception {
    try (SpecForwardClient client = connect()) {
      // The PING and a record in one write: the decoder cuts both frames from one read.
      byte[] record;
      try (var p = org.msgpack.core.MessagePack.newDefaultBufferPacker()) {
        p.packArrayHeader(3).packString("sneaky").packLong(1).packMapHeader(1)
            .packString("log").packString("x");
        record = p.toByteArray();
      }
      ArrayValue pong = client.pingThen("s3cret", "alice", "guess", record);
      assertThat(pong.get(1).asBooleanValue().getBoolean()).isFalse();
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(logs.batchCount()).isZero();
  }

  @Test
  void wrongSharedKeyIsRefusedBeforeTheUserIsChecked() throws Exception {
    try (SpecForwardClient client = connect()) {
      ArrayValue pong = client.ping("guess", "alice", "wonderland");
      assertThat(pong.get(1).asBooleanValue().getBoolean()).isFalse();
      assertThat(pong.get(2).asStringValue().asString()).isEqualTo("shared_key mismatch");
    }
    assertThat(unauthenticated()).isEqualTo(1.0);
    assertThat(logs.batchCount()).isZero();
  }
}
