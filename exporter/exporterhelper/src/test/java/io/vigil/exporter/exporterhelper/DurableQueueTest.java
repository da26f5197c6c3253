package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.Host;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.extension.filestorage.FileStorageConfig;
import io.vigil.extension.filestorage.FileStorageFactory;
import io.vigil.pdata.ReceivedBytes;
import io.vigil.testing.Metrics;
import io.vigil.testing.NonCanonicalRequests;
import io.vigil.testing.TestData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code sending_queue: {storage: file_storage}} on a real {@code file_storage} extension in a
 * temporary directory: acknowledgement after the append, batching by byte concatenation,
 * retries past max_elapsed_time, shutdown with the destination down, dead letters, the disk
 * budget, and the start-time lookup of the extension.
 */
class DurableQueueTest {

  @TempDir Path dir;

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private final List<Extension> extensions = new ArrayList<>();
  private final List<QueuedRetryingSender<?>> senders = new ArrayList<>();
  /** What the destination accepted. */
  private final List<ExportTraceServiceRequest> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  /** How the destination answers an attempt; accepts by default. */
  private volatile Function<ExportTraceServiceRequest, CompletableFuture<SendResult>> answer =
      this::accept;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final ch.qos.logback.classic.Logger vigilLogger =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vigil");

  @BeforeEach
  void captureLogs() {
    logs.start();
    vigilLogger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    answer = this::accept;
    senders.forEach(s -> s.shutdown(Instant.now().plusSeconds(2)));
    extensions.forEach(e -> e.shutdown(Instant.now().plusSeconds(2)));
    vigilLogger.detachAppender(logs);
  }

  private CompletableFuture<SendResult> accept(ExportTraceServiceRequest r) {
    accepted.add(r);
    return CompletableFuture.completedFuture(SendResult.accepted());
  }

  private static SendingSettings durableSettings() {
    SendingSettings s = new SendingSettings();
    s.timeout = Duration.ofSeconds(10);
    s.sendingQueue.storage = "file_storage";
    s.sendingQueue.queueSize = 100_000;
    s.retryOnFailure.initialInterval = Duration.ofMillis(5);
    s.retryOnFailure.maxInterval = Duration.ofMillis(20);
    s.retryOnFailure.maxElapsedTime = Duration.ofMillis(50);
    return s;
  }

  private Host startStorage(long maxDiskBytes, long segmentBytes) throws Exception {
    FileStorageConfig c = new FileStorageConfig();
    c.directory = dir.toString();
    c.maxDiskBytes = maxDiskBytes;
    c.segmentBytes = segmentBytes;
    c.validate();
    Extension ext = new FileStorageFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("file_storage"), telemetry), c);
    ext.start();
    extensions.add(ext);
    return () -> Map.of(ComponentId.of("file_storage"), ext);
  }

  private Host startStorage() throws Exception {
    return startStorage(1L << 30, 16L << 20);
  }

  private QueuedRetryingSender<ExportTraceServiceRequest> start(Host host, SendingSettings s) {
    s.validateSending();
    QueuedRetryingSender<ExportTraceServiceRequest> sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry, host),
        Signal.TRACES, s, (batch, timeout) -> {
          attempts.incrementAndGet();
          return answer.apply(batch);
        });
    sender.start();
    senders.add(sender);
    return sender;
  }

  private static Set<ByteString> spanIds(List<ExportTraceServiceRequest> requests) {
    Set<ByteString> ids = new HashSet<>();
    for (ExportTraceServiceRequest r : requests) {
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
          ss -> ss.getSpansList().forEach(span -> ids.add(span.getSpanId()))));
    }
    return ids;
  }

  private static int spanCount(ExportTraceServiceRequest r) {
    return Signal.TRACES.itemCount(r);
  }

  private double metric(String name, String... labels) {
    return Metrics.value(telemetry, name, labels);
  }

  @Test
  void acknowledgesOnceAppendedAndSendsQueuedRequestsAsOneConcatenatedRequest() throws Exception {
    SendingSettings s = durableSettings();
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = 10;
    s.sendingQueue.batch.flushTimeout = Duration.ofSeconds(30);
    QueuedRetryingSender<ExportTraceServiceRequest> sender = start(startStorage(), s);

    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ExportTraceServiceRequest r = TestData.spans(2);
      sent.add(r);
      sender.consume(r).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
    ExportTraceServiceRequest merged = accepted.get(0);
    assertThat(spanCount(merged)).isEqualTo(10);
    // Concatenation is the protobuf merge: the requests' resource spans, in order.
    ExportTraceServiceRequest.Builder expected = ExportTraceServiceRequest.newBuilder();
    sent.forEach(r -> expected.addAllResourceSpans(r.getResourceSpansList()));
    assertThat(merged).isEqualTo(expected.build());
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_queue_size")).as("committed").isZero());
    assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(10.0);
  }

  @Test
  void anEncodedSenderGetsTheConcatenatedBytesAndNothingIsDecoded() throws Exception {
    SendingSettings s = durableSettings();
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = 6;
    s.sendingQueue.batch.flushTimeout = Duration.ofSeconds(30);
    s.validateSending();
    List<byte[]> wire = new CopyOnWriteArrayList<>();
    AtomicInteger decodedSends = new AtomicInteger();
    QueuedRetryingSender<ExportTraceServiceRequest> sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry,
            startStorage()),
        Signal.TRACES, s, EncodedBatchSender.of(
            (batch, timeout) -> {
              decodedSends.incrementAndGet();
              return CompletableFuture.completedFuture(SendResult.accepted());
            },
            (request, timeout) -> {
              wire.add(request);
              return CompletableFuture.completedFuture(SendResult.accepted());
            }));
    sender.start();
    senders.add(sender);
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      ExportTraceServiceRequest r = TestData.spans(2);
      r.writeTo(expected);
      sender.consume(r).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> wire.size() == 1);
    assertThat(wire.get(0)).isEqualTo(expected.toByteArray());
    assertThat(spanCount(ExportTraceServiceRequest.parseFrom(wire.get(0)))).isEqualTo(6);
    assertThat(decodedSends.get()).isZero();
  }

  /** A sender whose encoded half records the bytes that would go to the wire. */
  private QueuedRetryingSender<ExportTraceServiceRequest> startEncoded(
      SendingSettings s, List<byte[]> wire) throws Exception {
    s.validateSending();
    QueuedRetryingSender<ExportTraceServiceRequest> sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry,
            startStorage()),
        Signal.TRACES, s, EncodedBatchSender.of(
            (batch, timeout) -> CompletableFuture.failedFuture(
                new AssertionError("decoded send with an encoded sender")),
            (request, timeout) -> {
              wire.add(request);
              return CompletableFuture.completedFuture(SendResult.accepted());
            }));
    sender.start();
    senders.add(sender);
    return sender;
  }

  @Test
  void anUnchangedReceivedRequestIsStoredAndSentAsTheBytesItCameAs() throws Exception {
    List<byte[]> wire = new CopyOnWriteArrayList<>();
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        startEncoded(durableSettings(), wire);
    byte[] received = NonCanonicalRequests.traces("checkout", 3);
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(received);
    assertThat(parsed.toByteArray()).as("the test's bytes are not protobuf-java's")
        .isNotEqualTo(received);
    ReceivedBytes.remember(parsed, received);
    try {
      sender.consume(parsed).get(5, TimeUnit.SECONDS);
    } finally {
      ReceivedBytes.forget(parsed);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> wire.size() == 1);
    assertThat(wire.get(0)).isEqualTo(received);
  }

  @Test
  void aRequestAProcessorChangedIsStoredAsChangedNotAsReceived() throws Exception {
    List<byte[]> wire = new CopyOnWriteArrayList<>();
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        startEncoded(durableSettings(), wire);
    byte[] received = NonCanonicalRequests.traces("checkout", 3);
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(received);
    ReceivedBytes.remember(parsed, received);
    // What a processor does: a new message with the change, the received one left as it was.
    ExportTraceServiceRequest.Builder b = parsed.toBuilder();
    b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0).setName("renamed");
    ExportTraceServiceRequest changed = b.build();
    ExportTraceServiceRequest rebuiltUnchanged = parsed.toBuilder().build();
    try {
      sender.consume(changed).get(5, TimeUnit.SECONDS);
      sender.consume(rebuiltUnchanged).get(5, TimeUnit.SECONDS);
    } finally {
      ReceivedBytes.forget(parsed);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> wire.size() == 2);
    // Several consumers send: the two may reach the wire in either order.
    byte[] first = wire.get(0);
    boolean changedFirst = ExportTraceServiceRequest.parseFrom(first).equals(changed);
    byte[] sentChanged = changedFirst ? first : wire.get(1);
    byte[] sentUnchanged = changedFirst ? wire.get(1) : first;
    assertThat(sentChanged).isEqualTo(changed.toByteArray());
    assertThat(sentUnchanged).as("an equal but other message is serialized, not looked up")
        .isEqualTo(parsed.toByteArray()).isNotEqualTo(received);
  }

  @Test
  void maxSizeClosesABatchBeforeTheNextRequestWouldPassIt() throws Exception {
    SendingSettings s = durableSettings();
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = 10;
    s.sendingQueue.batch.maxSize = 10;
    s.sendingQueue.batch.flushTimeout = Duration.ofSeconds(30);
    QueuedRetryingSender<ExportTraceServiceRequest> sender = start(startStorage(), s);

    for (int i = 0; i < 3; i++) {
      sender.consume(TestData.spans(4)).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
    assertThat(spanCount(accepted.get(0))).as("4 + 4; a third 4 would make 12").isEqualTo(8);
  }

  @Test
  void aStoredRequestAboveMaxSizeIsSentInRequestsOfAtMostMaxSizeItems() throws Exception {
    SendingSettings s = durableSettings();
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = 10;
    s.sendingQueue.batch.maxSize = 10;
    s.sendingQueue.batch.flushTimeout = Duration.ofMillis(100);
    QueuedRetryingSender<ExportTraceServiceRequest> sender = start(startStorage(), s);
    ExportTraceServiceRequest big = TestData.spans(25);
    ExportTraceServiceRequest small = TestData.spans(3);
    sender.consume(big).get(5, TimeUnit.SECONDS);
    sender.consume(small).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 4);
    assertThat(accepted.stream().map(DurableQueueTest::spanCount))
        .containsExactly(10, 10, 5, 3);
    assertThat(accepted.get(3)).as("the small one as stored").isEqualTo(small);
    assertThat(spanIds(accepted)).isEqualTo(spanIds(List.of(big, small)));
    assertThat(metric("otelcol_exporter_sent_spans")).isEqualTo(28.0);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_queue_size")).as("committed").isZero());
  }

  @Test
  void withTheBytesSizerEveryRequestSentIsAtMostMaxSizeBytes() throws Exception {
    SendingSettings s = durableSettings();
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.sizer = "bytes";
    s.sendingQueue.batch.minSize = 0;
    s.sendingQueue.batch.maxSize = 2000;
    List<byte[]> wire = new CopyOnWriteArrayList<>();
    QueuedRetryingSender<ExportTraceServiceRequest> sender = startEncoded(s, wire);
    ExportTraceServiceRequest big = TestData.spans(100);
    assertThat(big.getSerializedSize()).isGreaterThan(4 * 2000);
    sender.consume(big).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> wire.stream()
        .mapToInt(b -> spanCount(parse(b))).sum() == 100);
    assertThat(wire).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(2000));
    assertThat(spanIds(wire.stream().map(DurableQueueTest::parse).toList()))
        .isEqualTo(spanIds(List.of(big)));
  }

  @Test
  void aPieceFailingForGoodDeadLettersOnlyThePiecesNotYetAccepted() throws Exception {
    int[] calls = {0};
    answer = r -> {
      synchronized (calls) {
        if (++calls[0] >= 2) {
          return CompletableFuture.failedFuture(ExportFailure.permanent("400 too many spans"));
        }
      }
      return accept(r);
    };
    SendingSettings s = durableSettings();
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = 10;
    s.sendingQueue.batch.maxSize = 10;
    QueuedRetryingSender<ExportTraceServiceRequest> sender = start(startStorage(), s);
    sender.consume(TestData.spans(25)).get(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        metric("otelcol_exporter_send_failed_spans", "reason", "permanent")).isEqualTo(15.0));
    assertThat(accepted.stream().map(DurableQueueTest::spanCount)).containsExactly(10);
    List<ExportTraceServiceRequest> dead = new ArrayList<>();
    try (InputStream in = Files.newInputStream(
        dir.resolve("exporter_otlp_traces/dead-letter/traces.pb"))) {
      for (int i = 0; i < 10; i++) {
        ExportTraceServiceRequest r = ExportTraceServiceRequest.parseDelimitedFrom(in);
        if (r == null) {
          break;
        }
        dead.add(r);
      }
    }
    assertThat(dead.stream().map(DurableQueueTest::spanCount)).containsExactly(10, 5);
  }

  @Test
  void waitForResultAnswersTheCallerOnceTheDestinationAcceptedNotOnceOnDisk() throws Exception {
    CompletableFuture<SendResult> backend = new CompletableFuture<>();
    answer = r -> backend;
    SendingSettings s = durableSettings();
    s.sendingQueue.waitForResult = true;
    QueuedRetryingSender<ExportTraceServiceRequest> sender = start(startStorage(), s);

    CompletableFuture<Void> result = sender.consume(TestData.spans(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
    assertThat(result).as("on disk and sent, not yet answered").isNotDone();
    backend.complete(SendResult.accepted());
    result.get(5, TimeUnit.SECONDS);
  }

  @Test
  void waitForResultReportsAPermanentFailureToTheCaller() throws Exception {
    answer = r -> CompletableFuture.failedFuture(ExportFailure.permanent("400 bad span"));
    SendingSettings s = durableSettings();
    s.sendingQueue.waitForResult = true;
    QueuedRetryingSender<ExportTraceServiceRequest> sender = start(startStorage(), s);

    CompletableFuture<Void> result = sender.consume(TestData.spans(2));
    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.ExecutionException.class)
        .satisfies(e -> assertThat(ConsumeException.from(e).kind())
            .isEqualTo(ConsumeException.Kind.PERMANENT))
        .hasMessageContaining("400 bad span");
  }

  @Test
  void withoutWaitForResultTheCallerIsAnsweredOnceOnDiskWhileTheDestinationIsSilent()
      throws Exception {
    answer = r -> new CompletableFuture<>(); // never answers
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        start(startStorage(), durableSettings());

    sender.consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
  }

  private static ExportTraceServiceRequest parse(byte[] b) {
    try {
      return ExportTraceServiceRequest.parseFrom(b);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void retriesPastMaxElapsedTimeWhileTheDataIsOnDiskAndLogsTheOutageOnce() throws Exception {
    answer = r -> CompletableFuture.failedFuture(
        ExportFailure.retryable("backend says: 503 upstream restarting", (Duration) null));
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        start(startStorage(), durableSettings());
    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ExportTraceServiceRequest r = TestData.spans(3);
      sent.add(r);
      sender.consume(r).get(5, TimeUnit.SECONDS);
    }
    // max_elapsed_time is 50ms and the backoff at most 20ms: 30 attempts take longer than that.
    await().atMost(Duration.ofSeconds(20)).until(() -> attempts.get() >= 30);
    assertThat(metric("otelcol_exporter_queue_size")).isEqualTo(4.0);
    answer = this::accept;

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(spanIds(accepted)).isEqualTo(spanIds(sent)));
    assertThat(metric("otelcol_exporter_send_failed_spans")).as("nothing given up").isZero();
    assertThat(metric("vigil_exporter_send_retries")).isGreaterThanOrEqualTo(26.0);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(logs.list).anySatisfy(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.INFO);
          assertThat(e.getFormattedMessage()).contains("delivers traces again after");
        }));
    List<ILoggingEvent> warnings = logs.list.stream()
        .filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).as("one WARN for the whole outage, with the backend's answer")
        .singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
            .contains("cannot deliver traces: backend says: 503 upstream restarting"));
  }

  @Test
  void shutdownWithTheDestinationDownKeepsEverythingForTheNextStart() throws Exception {
    answer = r -> CompletableFuture.failedFuture(
        ExportFailure.retryable("connection refused", (Duration) null));
    Host host = startStorage();
    QueuedRetryingSender<ExportTraceServiceRequest> first = start(host, durableSettings());
    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ExportTraceServiceRequest r = TestData.spans(2);
      sent.add(r);
      first.consume(r).get(5, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 6);
    first.shutdown(Instant.now().plusSeconds(2));
    senders.remove(first);
    extensions.remove(0).shutdown(Instant.now().plusSeconds(2));
    assertThat(accepted).isEmpty();
    assertThat(metric("otelcol_exporter_send_failed_spans")).as("nothing dropped").isZero();

    answer = this::accept;
    start(startStorage(), durableSettings());

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(spanIds(accepted)).isEqualTo(spanIds(sent)));
  }

  @Test
  void permanentErrorWritesTheBatchToTheDeadLetterFileCountedByReason() throws Exception {
    answer = r -> CompletableFuture.failedFuture(
        ExportFailure.permanent("400 Bad Request: span name too long"));
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        start(startStorage(), durableSettings());
    List<ExportTraceServiceRequest> sent = List.of(TestData.spans(2), TestData.spans(3));
    for (ExportTraceServiceRequest r : sent) {
      sender.consume(r).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        metric("otelcol_exporter_send_failed_spans", "reason", "permanent")).isEqualTo(5.0));
    assertThat(attempts.get()).as("a permanent error is not retried").isEqualTo(2);
    Path deadLetter = dir.resolve("exporter_otlp_traces/dead-letter/traces.pb");
    List<ExportTraceServiceRequest> read = new ArrayList<>();
    try (InputStream in = Files.newInputStream(deadLetter)) {
      for (int i = 0; i < 10; i++) {
        ExportTraceServiceRequest r = ExportTraceServiceRequest.parseDelimitedFrom(in);
        if (r == null) {
          break;
        }
        read.add(r);
      }
    }
    // Ten consumers fail concurrently, so the file holds each batch once in either order.
    assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(metric("otelcol_exporter_queue_size")).as("committed past them").isZero());
  }

  @Test
  void diskBudgetReachedRefusesRetryablyAndLosesNothingAcknowledged() throws Exception {
    answer = r -> CompletableFuture.failedFuture(
        ExportFailure.retryable("backend down", (Duration) null));
    // The smallest budget file_storage allows: two 4 KiB segments.
    QueuedRetryingSender<ExportTraceServiceRequest> sender =
        start(startStorage(8192, 4096), durableSettings());
    List<ExportTraceServiceRequest> acknowledged = new ArrayList<>();
    ConsumeException refusal = null;
    for (int i = 0; i < 1000 && refusal == null; i++) {
      ExportTraceServiceRequest r = TestData.spans(2);
      CompletableFuture<Void> f = sender.consume(r);
      try {
        f.get(5, TimeUnit.SECONDS);
        acknowledged.add(r);
      } catch (java.util.concurrent.ExecutionException e) {
        refusal = ConsumeException.from(e);
      }
    }
    assertThat(refusal).as("the budget ran out within 1000 requests").isNotNull();
    assertThat(refusal.kind()).isEqualTo(ConsumeException.Kind.THROTTLED);
    assertThat(refusal.retryAfter()).contains(DurableQueue.FULL_RETRY_AFTER);
    assertThat(refusal).hasMessageContaining("out of disk budget");
    assertThat(acknowledged).isNotEmpty();

    answer = this::accept;
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(spanIds(accepted)).containsAll(spanIds(acknowledged)));
    // Space comes back once segments are consumed: the queue takes requests again.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        sender.consume(TestData.spans(1)).get(5, TimeUnit.SECONDS);
        return true;
      } catch (java.util.concurrent.ExecutionException e) {
        return false;
      }
    });
  }

  @Test
  void storageThatDoesNotRunFailsStartAtTheKeyPath() {
    assertThatThrownBy(() -> start(Host.NONE, durableSettings()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath())
            .isEqualTo("sending_queue::storage"))
        .hasMessageContaining("extension \"file_storage\" is not running");
  }

  @Test
  void keysThatDoNotApplyToTheDurableQueueAreRejectedNamingTheKey() {
    SendingSettings items = durableSettings();
    items.sendingQueue.sizer = "items";
    assertThatThrownBy(items::validateSending).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath())
            .isEqualTo("sending_queue::sizer"));
    SendingSettings block = durableSettings();
    block.sendingQueue.blockOnOverflow = true;
    assertThatThrownBy(block::validateSending).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath())
            .isEqualTo("sending_queue::block_on_overflow"));
    SendingSettings badBatchSizer = durableSettings();
    badBatchSizer.sendingQueue.batch = new BatchSettings();
    badBatchSizer.sendingQueue.batch.sizer = "requests";
    assertThatThrownBy(badBatchSizer::validateSending).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath())
            .isEqualTo("sending_queue::batch::sizer"));
    SendingSettings badId = durableSettings();
    badId.sendingQueue.storage = "File Storage";
    assertThatThrownBy(badId::validateSending).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath())
            .isEqualTo("sending_queue::storage"));
  }
}
