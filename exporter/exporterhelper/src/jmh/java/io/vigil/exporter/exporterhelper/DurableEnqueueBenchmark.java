package io.vigil.exporter.exporterhelper;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.extension.filestorage.FileStorageConfig;
import io.vigil.extension.filestorage.FileStorageFactory;
import io.vigil.pdata.ReceivedBytes;
import io.vigil.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The durable queue's enqueue ({@code consume} until acknowledged) of one trace request, with
 * the receiver's bytes found in {@link ReceivedBytes} (stored as they came) and without (the
 * message serialized again). fsync {@code never}, so the score is the CPU of the enqueue rather
 * than the disk's latency; a sender that accepts everything drains the log in large batches so it
 * stays small.
 * Run: {@code testbed/jmh exporter/exporterhelper DurableEnqueueBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DurableEnqueueBenchmark {

  @Param({"true", "false"})
  public boolean registryHit;

  @Param({"10", "500"})
  public int spans;

  private Path dir;
  private Extension storage;
  private QueuedRetryingSender<ExportTraceServiceRequest> sender;
  private ExportTraceServiceRequest request;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory("durable-enqueue-bench");
    GatewayTelemetry telemetry = new GatewayTelemetry();
    FileStorageConfig c = new FileStorageConfig();
    c.directory = dir.toString();
    c.fsyncPolicy = "never";
    c.validate();
    storage = new FileStorageFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("file_storage"), telemetry), c);
    storage.start();
    SendingSettings s = new SendingSettings();
    s.sendingQueue.storage = "file_storage";
    s.sendingQueue.queueSize = 1_000_000;
    s.timeout = Duration.ofSeconds(10);
    // The drain must keep up with the enqueues, or the log grows into the disk budget: batches
    // of many records (concatenated, handed to a sender that accepts at once) commit fast.
    s.sendingQueue.batch = new BatchSettings();
    s.sendingQueue.batch.minSize = 50_000;
    s.sendingQueue.batch.flushTimeout = Duration.ofMillis(5);
    s.validateSending();
    sender = new QueuedRetryingSender<>(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry,
            () -> Map.of(ComponentId.of("file_storage"), storage)),
        Signal.TRACES, s, EncodedBatchSender.of(
            (batch, timeout) -> CompletableFuture.completedFuture(SendResult.accepted()),
            (bytes, timeout) -> CompletableFuture.completedFuture(SendResult.accepted())));
    sender.start();
    byte[] received = TestData.spans(spans).toByteArray();
    request = ExportTraceServiceRequest.parseFrom(received);
    if (registryHit) {
      ReceivedBytes.remember(request, received);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    ReceivedBytes.forget(request);
    sender.shutdown(Instant.now().plusSeconds(5));
    storage.shutdown(Instant.now().plusSeconds(5));
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Object enqueue() throws Exception {
    return sender.consume(request).get(10, TimeUnit.SECONDS);
  }
}
