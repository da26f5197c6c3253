package io.vigil.processor.batch;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.testing.TelemetryPayloads;
import io.vigil.core.RequestSplitter;
import io.vigil.core.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batch processor's own work (in its package, to reach the package-private splitter):
 * merging 16 requests of 512 spans into one batch, and splitting 8192 spans into 1000-span pieces.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BatchSplitterBenchmark {

  List<ExportTraceServiceRequest> parts;
  ExportTraceServiceRequest big;

  @Setup
  public void setUp() {
    TelemetryPayloads p = new TelemetryPayloads(11);
    parts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      parts.add(p.traces(512, 1_700_000_000_000_000_000L));
    }
    big = RequestSplitter.merge(Signal.TRACES, parts);
  }

  @Benchmark
  public ExportTraceServiceRequest merge16x512Spans() {
    return RequestSplitter.merge(Signal.TRACES, parts);
  }

  @Benchmark
  public List<ExportTraceServiceRequest> split8192SpansInto1000() {
    return RequestSplitter.split(Signal.TRACES, big, 1000);
  }
}
