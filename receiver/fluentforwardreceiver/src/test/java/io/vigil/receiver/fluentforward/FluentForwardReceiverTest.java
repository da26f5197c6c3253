package io.vigil.receiver.fluentforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.vigil.core.ConsumeException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.fluentd.logger.FluentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

class FluentForwardReceiverTest {

  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN = "eee19b7ec3c1b174";
  private static final String K8S_TAG = "kube.var.log.containers.checkout-7d9f8-abcde_shop_app-"
      + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log";

  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FluentForwardReceiver receiver;

  @BeforeEach
  void start() {
    FluentForwardConfig c = new FluentForwardConfig();
    c.endpoint = "127.0.0.1:0";
    c.maxFrameSizeMib = 1;
    receiver = TestReceivers.start(c, telemetry, logs);
  }

  @AfterEach
  void stop() {
    receiver.shutdown(Instant.now().plusSeconds(2));
  }

  private List<LogRecord> records() {
    List<LogRecord> out = new ArrayList<>();
    logs.batches().forEach(b -> b.getResourceLogsList().forEach(rl ->
        rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList()))));
    return out;
  }

  private static Optional<String> attr(List<KeyValue> attrs, String key) {
    return attrs.stream().filter(a -> a.getKey().equals(key))
        .map(a -> a.getValue().hasStringValue() ? a.getValue().getStringValue()
            : String.valueOf(a.getValue().getIntValue())).findFirst();
  }

  private double metric(String name, String... labels) {
    return io.vigil.testing.Metrics.value(telemetry, name, labels);
  }

  @Test
  void fluencyPackedForwardWithAcksDeliversEveryRecordOnce() throws Exception {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    try (Fluency fluency = builder.build("127.0.0.1", receiver.port())) {
      for (int i = 0; i < 300; i++) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("log", "plain line " + i + "\n");
        rec.put("n", i);
        fluency.emit(i % 2 == 0 ? "app.even" : "app.odd", rec);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("log", "{\"@timestamp\":\"2026-11-24T10:15:30.123Z\",\"log.level\":\"ERROR\","
          + "\"message\":\"payment failed\",\"service.name\":\"payments\",\"trace.id\":\"" + TRACE
          + "\",\"span.id\":\"" + SPAN + "\",\"order.id\":\"o-9\"}\n");
      fluency.emit("app.json", json);
      fluency.flush();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> records().size() >= 301);
    assertThat(records()).hasSize(301);
    assertThat(records()).extracting(r -> r.getBody().getStringValue())
        .filteredOn(b -> b.startsWith("plain line")).doesNotHaveDuplicates().hasSize(300);
    LogRecord j = records().stream()
        .filter(r -> r.getBody().getStringValue().equals("payment failed")).findFirst().orElseThrow();
    assertThat(HexFormat.of().formatHex(j.getTraceId().toByteArray())).isEqualTo(TRACE);
    assertThat(HexFormat.of().formatHex(j.getSpanId().toByteArray())).isEqualTo(SPAN);
    assertThat(j.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
    assertThat(j.getTimeUnixNano()).isEqualTo(
        Instant.parse("2026-11-24T10:15:30.123Z").toEpochMilli() * 1_000_000L);
    assertThat(attr(j.getAttributesList(), "order.id")).hasValue("o-9");
    assertThat(attr(j.getAttributesList(), "fluent.tag")).hasValue("app.json");
    ResourceLogs payments = logs.batches().stream().flatMap(b -> b.getResourceLogsList().stream())
        .filter(rl -> attr(rl.getResource().getAttributesList(), "service.name").isPresent())
        .findFirst().orElseThrow();
    assertThat(attr(payments.getResource().getAttributesList(), "service.name")).hasValue("payments");
    assertThat(metric("otelcol_receiver_accepted_log_records", "transport", "tcp")).isEqualTo(301.0);
  }

  @Test
  void fluentLoggerMessageModeArrives() {
    FluentLogger logger = FluentLogger.getLogger("shop", "127.0.0.1", receiver.port());
    try {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("message", "user signed in");
      data.put("user", "alice");
      data.put("level", "info");
      assertThat(logger.log("login", data)).isTrue();
      logger.flush();
    } finally {
      logger.close();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 1);
    LogRecord r = records().get(0);
    assertThat(r.getBody().getStringValue()).isEqualTo("user signed in");
    assertThat(attr(r.getAttributesList(), "fluent.tag")).hasValue("shop.login");
    assertThat(attr(r.getAttributesList(), "user")).hasValue("alice");
    assertThat(r.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
    assertThat(r.getTimeUnixNano()).isPositive();
  }

  @Test
  void dockerAndCriContainerLinesFromFluentBitParsers() throws Exception {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    try (Fluency fluency = builder.build("127.0.0.1", receiver.port())) {
      Map<String, Object> docker = new LinkedHashMap<>();
      docker.put("log", "{\"level\":\"warn\",\"msg\":\"cache miss\",\"trace_id\":\"" + TRACE
          + "\",\"span_id\":\"" + SPAN + "\"}\n");
      docker.put("stream", "stdout");
      docker.put("time", "2026-11-24T10:15:30.000000001Z");
      fluency.emit(K8S_TAG, docker);
      Map<String, Object> cri = new LinkedHashMap<>();
      cri.put("time", "2026-11-24T10:15:31.5Z");
      cri.put("stream", "stderr");
      cri.put("logtag", "F");
      cri.put("message", "plain stderr line");
      fluency.emit(K8S_TAG, cri);
      fluency.flush();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 2);
    ResourceLogs rl = logs.batches().get(0).getResourceLogs(0);
    List<KeyValue> res = rl.getResource().getAttributesList();
    assertThat(attr(res, "k8s.pod.name")).hasValue("checkout-7d9f8-abcde");
    assertThat(attr(res, "k8s.namespace.name")).hasValue("shop");
    assertThat(attr(res, "k8s.container.name")).hasValue("app");
    assertThat(attr(res, "container.id")).hasValue(
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    LogRecord d = records().stream().filter(r -> r.getBody().getStringValue().equals("cache miss"))
        .findFirst().orElseThrow();
    assertThat(HexFormat.of().formatHex(d.getTraceId().toByteArray())).isEqualTo(TRACE);
    assertThat(d.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
    assertThat(attr(d.getAttributesList(), "log.iostream")).hasValue("stdout");
    LogRecord c = records().stream()
        .filter(r -> r.getBody().getStringValue().equals("plain stderr line")).findFirst().orElseThrow();
    assertThat(attr(c.getAttributesList(), "log.iostream")).hasValue("stderr");
    assertThat(attr(c.getAttributesList(), "logtag")).hasValue("F");
  }

  /**
   * Issue #17: a short container ID (as `docker ps` and some CRI tooling print it) still gives
   * the k8s attributes, and a container-log tag that does not parse is counted, not silent.
   */
  @Test
  void shortContainerIdsParseAndUnparsableKubernetesTagsAreCounted() throws Exception {
    try (Fluency fluency = new FluencyBuilderForFluentd().build("127.0.0.1", receiver.port())) {
      fluency.emit("kube.var.log.containers.orders-5c7f9-x2x7q_shop_app-0123456789ab.log",
          Map.of("log", "short id"));
      fluency.emit("kube.var.log.containers.not-a-kubernetes-file-name.log",
          Map.of("log", "odd tag"));
      fluency.flush();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> records().size() == 2);
    ResourceLogs shortId = logs.batches().stream().flatMap(b -> b.getResourceLogsList().stream())
        .filter(rl -> rl.getScopeLogs(0).getLogRecords(0).getBody().getStringValue()
            .equals("short id")).findFirst().orElseThrow();
    List<KeyValue> res = shortId.getResource().getAttributesList();
    assertThat(attr(res, "k8s.pod.name")).hasValue("orders-5c7f9-x2x7q");
    assertThat(attr(res, "k8s.namespace.name")).hasValue("shop");
    assertThat(attr(res, "k8s.container.name")).hasValue("app");
    assertThat(attr(res, "container.id")).hasValue("0123456789ab");
    assertThat(metric("vigil_receiver_protocol_errors", "reason", "k8s_tag_unparsed"))
        .isEqualTo(1.0);
  }

  /** A forward client written with msgpack-core, for modes and faults the libraries don't send. */
  private static byte[] compressedPackedForward(String tag, String chunk, int n) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz);
        MessageBufferPacker entries = MessagePack.newDefaultBufferPacker()) {
      for (int i = 0; i < n; i++) {
        byte[] time = ByteBuffer.allocate(8).putInt(1_764_000_000).putInt(i).array();
        entries.packArrayHeader(2).packExtensionTypeHeader((byte) 0, 8).addPayload(time);
        entries.packMapHeader(1).packString("log").packString("packed " + i);
      }
      out.write(entries.toByteArray());
    }
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      byte[] payload = gz.toByteArray();
      p.packArrayHeader(3).packString(tag).packBinaryHeader(payload.length).addPayload(payload);
      p.packMapHeader(3).packString("chunk").packString(chunk).packString("compressed")
          .packString("gzip").packString("size").packInt(n);
      return p.toByteArray();
    }
  }

  private String sendAndReadAck(Socket s, byte[] frame) throws IOException {
    s.getOutputStream().write(frame);
    s.getOutputStream().flush();
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(s.getInputStream())) {
      int n = u.unpackMapHeader();
      assertThat(n).isEqualTo(1);
      assertThat(u.unpackString()).isEqualTo("ack");
      return u.unpackString();
    }
  }

  @Test
  void compressedPackedForwardWithEventTimeIsAcknowledged() throws Exception {
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      assertThat(sendAndReadAck(s, compressedPackedForward("packed.tag", "chunk-1", 5)))
          .isEqualTo("chunk-1");
    }
    assertThat(records()).hasSize(5);
    assertThat(records().get(3).getTimeUnixNano()).isEqualTo(1_764_000_000L * 1_000_000_000L + 3);
  }

  @Test
  void refusedChunkIsNotAcknowledgedSoTheClientResends() throws Exception {
    logs.refuseWith(ConsumeException.retryable("queue full"));
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(1_000);
      s.getOutputStream().write(compressedPackedForward("t", "c-1", 2));
      InputStream in = s.getInputStream();
      boolean acked;
      try {
        acked = in.read() >= 0;
      } catch (SocketTimeoutException e) {
        acked = false;
      }
      assertThat(acked).isFalse();
      logs.accept();
      s.setSoTimeout(10_000);
      assertThat(sendAndReadAck(s, compressedPackedForward("t", "c-1", 2))).isEqualTo("c-1");
    }
  }

  private boolean closedByServer(byte[] bytes) throws IOException {
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      try {
        return s.getInputStream().read() == -1;
      } catch (java.net.SocketException e) {
        return true;
      }
    }
  }

  @Test
  void badFramesCloseTheirConnectionAreCountedAndOthersAreServed() throws Exception {
    assertThat(closedByServer(new byte[] {(byte) 0xc1, 1, 2})).isTrue();
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(2).packInt(42).packString("not a tag");
      assertThat(closedByServer(p.toByteArray())).isTrue();
    }
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(3).packString("big").packInt(1).packMapHeader(1).packString("log")
          .packString("x".repeat(2 << 20));
      assertThat(closedByServer(p.toByteArray())).as("over max_frame_size_mib").isTrue();
    }
    assertThat(metric("vigil_receiver_protocol_errors", "reason", "msgpack")).isEqualTo(1.0);
    assertThat(metric("vigil_receiver_protocol_errors", "reason", "shape")).isEqualTo(1.0);
    assertThat(metric("vigil_receiver_protocol_errors", "reason", "too_large")).isEqualTo(1.0);

    // A truncated frame followed by the client closing: nothing delivered, nothing hangs.
    byte[] full = compressedPackedForward("t", "c-2", 3);
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.getOutputStream().write(full, 0, full.length / 2);
    }
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      assertThat(sendAndReadAck(s, compressedPackedForward("t", "c-3", 3))).isEqualTo("c-3");
    }
    assertThat(records()).hasSize(3);
  }

  @Test
  void fuzzedFramesNeverStopTheServer() throws Exception {
    long seed = 0xF1_0E_17L;
    Random r = new Random(seed);
    byte[] valid = compressedPackedForward("fuzz", "c", 4);
    for (int i = 0; i < 150; i++) {
      byte[] b = valid.clone();
      for (int k = 0, n = 1 + r.nextInt(6); k < n; k++) {
        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
      }
      if (r.nextBoolean()) {
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      }
      try (Socket s = new Socket("127.0.0.1", receiver.port())) {
        s.setSoTimeout(5_000);
        s.getOutputStream().write(b);
        s.shutdownOutput();
        try {
          s.getInputStream().readAllBytes();
        } catch (IOException e) {
          // The server may reset the connection: that is an answer too.
        }
      }
    }
    try (Socket s = new Socket("127.0.0.1", receiver.port())) {
      s.setSoTimeout(10_000);
      assertThat(sendAndReadAck(s, compressedPackedForward("after", "ok", 1)))
          .as("seed %d", seed).isEqualTo("ok");
    }
  }
}
