package io.vigil.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.testing.TelemetryPayloads;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/** OTLP protobuf decode and encode of one request of realistic spans or log records. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OtlpCodecBenchmark {

  @Param({"512"})
  int items;

  ExportTraceServiceRequest traces;
  ExportLogsServiceRequest logs;
  byte[] traceBytes;
  byte[] logBytes;

  @Setup
  public void setUp() {
    TelemetryPayloads p = new TelemetryPayloads(7);
    traces = p.traces(items, 1_700_000_000_000_000_000L);
    logs = p.logs(items, 1_700_000_000_000_000_000L);
    traceBytes = traces.toByteArray();
    logBytes = logs.toByteArray();
  }

  @Benchmark
  public ExportTraceServiceRequest decodeTraces() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(traceBytes);
  }

  @Benchmark
  public byte[] encodeTraces() {
    // A fresh message each time: protobuf caches the size of one it has encoded before.
    return ExportTraceServiceRequest.newBuilder(traces).build().toByteArray();
  }

  @Benchmark
  public ExportLogsServiceRequest decodeLogs() throws InvalidProtocolBufferException {
    return ExportLogsServiceRequest.parseFrom(logBytes);
  }

  @Benchmark
  public byte[] encodeLogs() {
    return ExportLogsServiceRequest.newBuilder(logs).build().toByteArray();
  }
}
