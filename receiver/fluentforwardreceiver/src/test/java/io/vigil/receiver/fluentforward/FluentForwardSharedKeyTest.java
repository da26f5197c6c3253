package io.vigil.receiver.fluentforward;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ArrayValue;
import org.msgpack.value.Value;

/** The shared-key handshake, driven by a client written from the forward protocol spec. */
class FluentForwardSharedKeyTest {

  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FluentForwardReceiver receiver;

  @BeforeEach
  void start() {
    FluentForwardConfig c = new FluentForwardConfig();
    c.endpoint = "127.0.0.1:0";
    c.security.sharedKey = "s3cret";
    c.security.selfHostname = "gateway-1";
    receiver = TestReceivers.start(c, telemetry, logs);
  }

  @AfterEach
  void stop() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  private static String sha512Hex(String salt, String host, byte[] nonce, String key) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-512");
    d.update(salt.getBytes(StandardCharsets.UTF_8));
    d.update(host.getBytes(StandardCharsets.UTF_8));
    d.update(nonce);
    d.update(key.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  /** Reads HELO, sends PING with the given key, returns the PONG. */
  private ArrayValue handshake(Socket s, MessageUnpacker in, String key) throws Exception {
    ArrayValue helo = in.unpackValue().asArrayValue();
    assertThat(helo.get(0).asStringValue().asString()).isEqualTo("HELO");
    byte[] nonce = null;
    for (var e : helo.get(1).asMapValue().map().entrySet()) {
      if (e.getKey().asStringValue().asString().equals("nonce")) {
        nonce = e.getValue().asRawValue().asByteArray();
      }
    }
    assertThat(nonce).isNotNull();
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(6).packString("PING").packString("fluent-bit-node-3").packString("salty")
          .packString(sha512Hex("salty", "fluent-bit-node-3", nonce, key))
          .packString("").packString("");
      s.getOutputStream().write(p.toByteArray());
    }
    ArrayValue pong = in.unpackValue().asArrayValue();
    assertThat(pong.get(0).asStringValue().asString()).isEqualTo("PONG");
    if (pong.get(1).asBooleanValue().getBoolean()) {
      assertThat(pong.get(4).asStringValue().asString()).as("server proves it knows the key")
          .isEqualTo(sha512Hex("salty", "gateway-1", nonce, key));
    }
    return pong;
  }

  @Test
  void rightKeyIsAcceptedAndDataFlows() throws Exception {
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      MessageUnpacker in = MessagePack.newDefaultUnpacker(s.getInputStream());
      ArrayValue pong = handshake(s, in, "s3cret");
      assertThat(pong.get(1).asBooleanValue().getBoolean()).isTrue();
      try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
        p.packArrayHeader(4).packString("secure.app").packLong(1_764_000_000L)
            .packMapHeader(1).packString("log").packString("authenticated line")
            .packMapHeader(1).packString("chunk").packString("k1");
        s.getOutputStream().write(p.toByteArray());
      }
      int n = in.unpackMapHeader();
      assertThat(n).isEqualTo(1);
      assertThat(in.unpackString()).isEqualTo("ack");
      assertThat(in.unpackString()).isEqualTo("k1");
    }
    assertThat(logs.batches().get(0).getResourceLogs(0).getScopeLogs(0).getLogRecords(0)
        .getBody().getStringValue()).isEqualTo("authenticated line");
  }

  @Test
  void wrongKeyGetsAFailedPongAndTheConnectionCloses() throws Exception {
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      MessageUnpacker in = MessagePack.newDefaultUnpacker(s.getInputStream());
      ArrayValue pong = handshake(s, in, "guess");
      assertThat(pong.get(1).asBooleanValue().getBoolean()).isFalse();
      assertThat(pong.get(2).asStringValue().asString()).contains("shared_key mismatch");
      assertThat(in.hasNext()).as("closed after the failed PONG").isFalse();
    }
    assertThat(Metrics.value(telemetry, "vigil_receiver_protocol_errors", "reason", "auth"))
        .isEqualTo(1.0);
    assertThat(logs.batchCount()).isZero();
  }

  @Test
  void dataBeforeThePingIsRefused() throws IOException {
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      MessageUnpacker in = MessagePack.newDefaultUnpacker(s.getInputStream());
      Value helo = in.unpackValue();
      assertThat(helo.toString()).contains("HELO");
      try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
        p.packArrayHeader(3).packString("sneaky").packLong(1).packMapHeader(1)
            .packString("log").packString("x");
        s.getOutputStream().write(p.toByteArray());
      }
      ArrayValue pong = in.unpackValue().asArrayValue();
      assertThat(pong.get(1).asBooleanValue().getBoolean()).isFalse();
      assertThat(in.hasNext()).isFalse();
    }
    assertThat(logs.batchCount()).isZero();
  }
}
