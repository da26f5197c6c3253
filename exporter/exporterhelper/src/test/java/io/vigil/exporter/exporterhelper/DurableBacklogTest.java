package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.extension.filestorage.FileStorageConfig;
import io.vigil.extension.filestorage.FileStorageExtension;
import io.vigil.extension.filestorage.FileStorageFactory;
import io.vigil.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable queue's log read back by someone else: what a stopped exporter left (its destination
 * down) comes back in chunks, in order, each span once; a chunk not committed comes back again;
 * a record that does not parse goes to the dead-letter file instead of blocking the rest.
 */
class DurableBacklogTest {

  private static final ComponentId EXPORTER = ComponentId.of("otlp", "gone");

  @TempDir Path dir;
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FileStorageExtension storage;

  @AfterEach
  void stop() {
    if (storage != null) {
      storage.shutdown(Instant.now().plusSeconds(5));
    }
  }

  @Test
  void whatAStoppedQueueLeftComesBackInChunksEachSpanOnce() throws Exception {
    storage = startStorage();
    List<ByteString> sent = leaveUnsent(5, 3);
    // A damaged request at the end: it must not block the others nor be lost silently.
    String client = DurableBacklog.clientName(EXPORTER, Signal.TRACES);
    byte[] garbage = {0, 0, 0, 1, 0x0a, (byte) 0xff};
    storage.log(client).append(garbage).get(5, TimeUnit.SECONDS);

    DurableBacklog<ExportTraceServiceRequest> backlog =
        DurableBacklog.open(storage, client, Signal.TRACES);
    assertThat(backlog.size()).isEqualTo(6);
    DurableBacklog.Chunk<ExportTraceServiceRequest> first = backlog.next(2);
    assertThat(first.items()).isEqualTo(6);
    backlog.rewind(); // not committed: read again
    assertThat(spanIds(backlog.next(2).request())).isEqualTo(spanIds(first.request()));

    List<ByteString> got = new ArrayList<>();
    backlog.rewind();
    for (var c = backlog.next(2); c != null; c = backlog.next(2)) {
      got.addAll(spanIds(c.request()));
      backlog.commit(c);
    }
    assertThat(got).containsExactlyElementsOf(sent);
    assertThat(backlog.size()).isZero();
    assertThat(backlog.deadLettered()).isEqualTo(1);
    assertThat(DeadLetters.read(DeadLetters.inLog(backlog.directory(), Signal.TRACES)))
        .containsExactly(new byte[] {0x0a, (byte) 0xff});

    // Committed: an exporter started on the log later has nothing left to send.
    assertThat(DurableBacklog.open(storage, client, Signal.TRACES).next(10)).isNull();
  }

  /** A durable queue whose destination is down, given {@code requests}, then shut down. */
  private List<ByteString> leaveUnsent(int requests, int spans) throws Exception {
    SendingSettings s = new SendingSettings();
    s.sendingQueue.storage = "file_storage";
    s.retryOnFailure.initialInterval = Duration.ofMillis(5);
    s.retryOnFailure.maxInterval = Duration.ofMillis(20);
    s.validateSending();
    QueuedRetryingSender<ExportTraceServiceRequest> sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, EXPORTER, telemetry,
            () -> Map.of(ComponentId.of("file_storage"), storage)),
        Signal.TRACES, s, (batch, timeout) ->
            CompletableFuture.failedFuture(ConsumeException.retryable("destination down")));
    sender.start();
    List<ByteString> sent = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      ExportTraceServiceRequest r = TestData.spans(spans);
      sent.addAll(spanIds(r));
      sender.consume(r).get(5, TimeUnit.SECONDS);
    }
    sender.shutdown(Instant.now().plusMillis(200));
    return sent;
  }

  private FileStorageExtension startStorage() throws Exception {
    FileStorageConfig c = new FileStorageConfig();
    c.directory = dir.toString();
    c.validate();
    FileStorageExtension ext = (FileStorageExtension) new FileStorageFactory().create(
        new ComponentSettings(ComponentKind.EXTENSION, ComponentId.of("file_storage"),
            telemetry), c);
    ext.start();
    return ext;
  }

  private static List<ByteString> spanIds(ExportTraceServiceRequest r) {
    List<ByteString> ids = new ArrayList<>();
    r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
        ss -> ss.getSpansList().forEach(span -> ids.add(span.getSpanId()))));
    return ids;
  }
}
