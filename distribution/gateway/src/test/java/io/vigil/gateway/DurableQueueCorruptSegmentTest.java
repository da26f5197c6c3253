package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A gateway whose durable queue directory holds a bit-flipped record in one segment and a
 * truncated last segment: it starts, delivers every intact record to the backend, and reports
 * what was damaged in its log and as counters on /metrics.
 */
class DurableQueueCorruptSegmentTest {

  /** A record on disk: magic(4) length(4) seq(8) crc32c(4), then the payload. */
  private static final int HEADER = 20;

  @TempDir Path dir;
  private RawBytesTraceSink sink;
  private String grpc;
  private String admin;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final ch.qos.logback.classic.Logger vigil =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vigil");

  @BeforeEach
  void start() throws Exception {
    sink = new RawBytesTraceSink();
    grpc = FreePort.endpoint();
    admin = FreePort.endpoint();
    logs.start();
    vigil.addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    vigil.detachAppender(logs);
    sink.close();
  }

  private String config() {
    return String.join("\n",
        "extensions:",
        "  file_storage: {directory: '" + dir.resolve("queue") + "', segment_bytes: 4096,"
            + " max_disk_bytes: 10000000}",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink.endpoint(),
        "    tls: {insecure: true}",
        "    retry_on_failure: {initial_interval: 20ms, max_interval: 100ms}",
        "    sending_queue: {storage: file_storage}",
        "service:",
        "  extensions: [file_storage]",
        "  telemetry: {metrics: {address: '" + admin + "'}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}",
        "");
  }

  /** One record of a segment file: where it starts and the span IDs of its request. */
  private record Record(long start, int length, Set<ByteString> spanIds) {}

  private static List<Record> records(Path segment) throws Exception {
    List<Record> out = new ArrayList<>();
    ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(segment));
    // Bounded by the file: each pass moves past one record.
    while (file.remaining() >= HEADER) {
      int start = file.position();
      file.getInt(); // magic
      int length = file.getInt();
      file.position(start + HEADER);
      byte[] payload = new byte[length];
      file.get(payload);
      // The queue's payload: the item count (4 bytes), then the request.
      ExportTraceServiceRequest r =
          ExportTraceServiceRequest.parseFrom(ByteBuffer.wrap(payload, 4, length - 4));
      Set<ByteString> ids = new HashSet<>();
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
          ss -> ss.getSpansList().forEach(s -> ids.add(s.getSpanId()))));
      out.add(new Record(start, length, ids));
    }
    return out;
  }

  @Test
  void damagedSegmentsLoseOnlyTheirDamagedRecordsAndAreReported() throws Exception {
    // 1. The backend refuses (retryably), so every acknowledged request stays in the log.
    sink.refusal = Status.UNAVAILABLE.withDescription("down for the test");
    Set<ByteString> acknowledged;
    try (Gateway gateway = Gateway.start(config(), Duration.ofSeconds(2));
        SdkSpanClient client = new SdkSpanClient(grpc)) {
      for (int i = 0; i < 40; i++) {
        assertThat(client.sendBatch(3)).isTrue();
      }
      acknowledged = Set.copyOf(client.acknowledged);
    }
    assertThat(acknowledged).hasSize(120);
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir.resolve("queue/exporter_otlp_traces"))) {
      segments = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
    assertThat(segments).as("4 KiB segments: the requests fill several").hasSizeGreaterThan(2);

    // 2. Damage: one payload bit flipped in the second record of the first segment (the
    // records after it in that segment stay readable), and the last segment cut inside its
    // last record.
    Path first = segments.get(0);
    List<Record> firstRecords = records(first);
    assertThat(firstRecords).as("a record after the flipped one to resync on").hasSizeGreaterThan(2);
    Record flipped = firstRecords.get(1);
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      long at = flipped.start() + HEADER + flipped.length() / 2;
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
      ch.write(b, at);
    }
    Path last = segments.get(segments.size() - 1);
    List<Record> lastRecords = records(last);
    Record cut = lastRecords.get(lastRecords.size() - 1);
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
      ch.truncate(cut.start() + HEADER + cut.length() / 2);
    }
    Set<ByteString> lost = new HashSet<>(flipped.spanIds());
    lost.addAll(cut.spanIds());
    Set<ByteString> intact = new HashSet<>(acknowledged);
    intact.removeAll(lost);
    assertThat(lost).hasSize(6);

    // 3. Restart with the backend up: every intact record arrives, the damage is reported.
    sink.refusal = null;
    try (Gateway gateway = Gateway.start(config(), Duration.ofSeconds(2))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.spanIds().containsAll(intact));
      assertThat(sink.spanIds()).as("nothing from the damaged records").isEqualTo(intact);

      assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("was damaged"))
          .hasSize(2)
          .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(first.toString())
              .contains("skipped").contains("losing 1 records"))
          .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(last.toString())
              .contains("cut"));
      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + admin + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics)
          .contains("vigil_exporter_queue_damaged_regions_total{data_type=\"traces\","
              + "exporter=\"otlp\"} 2.0")
          .contains("vigil_exporter_queue_lost_records_total{data_type=\"traces\","
              + "exporter=\"otlp\"} 1.0");
    }
  }
}
