package io.vigil.exporter.vigilstore;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.testing.TelemetryPayloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What storing a batch costs next to decoding it: the same OTLP request (512 spans or log
 * records shaped like the Java agent's, {@link TelemetryPayloads}) decoded from protobuf, and
 * written into the store (records to JSON, Lucene documents, indexing; no commit, as the
 * exporter commits every 5 s). Divide by {@code items} for the cost per item. The store grows
 * over the run (millions of documents), as it does in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class StoreIngestBenchmark {

  @Param({"512"})
  int items;

  Path directory;
  TelemetryStore store;
  ExportTraceServiceRequest traces;
  ExportLogsServiceRequest logs;
  byte[] traceBytes;
  byte[] logBytes;

  @Setup
  public void setUp() throws IOException {
    long now = System.currentTimeMillis() * 1_000_000L;
    TelemetryPayloads p = new TelemetryPayloads(7);
    traces = p.traces(items, now);
    logs = p.logs(items, now);
    traceBytes = traces.toByteArray();
    logBytes = logs.toByteArray();
    directory = Files.createTempDirectory("vigilstore-ingest");
    store = new TelemetryStore(directory, Duration.ofHours(24), 0, Clock.systemUTC());
  }

  @TearDown
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> s = Files.walk(directory)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  @Benchmark
  public ExportTraceServiceRequest decodeTraces() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(traceBytes);
  }

  @Benchmark
  public ExportLogsServiceRequest decodeLogs() throws InvalidProtocolBufferException {
    return ExportLogsServiceRequest.parseFrom(logBytes);
  }

  @Benchmark
  public long storeSpans() throws IOException {
    return store.addSpans(traces);
  }

  @Benchmark
  public long storeLogs() throws IOException {
    return store.addLogs(logs);
  }
}
