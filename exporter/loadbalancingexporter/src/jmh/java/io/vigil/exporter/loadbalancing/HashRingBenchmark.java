package io.vigil.exporter.loadbalancing;

import io.vigil.testing.TestData;
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

/** Routing one trace ID on a ring of 3 backends (300 points): the per-trace routing cost. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashRingBenchmark {

  private HashRing ring;
  private byte[] traceId;

  @Setup
  public void setUp() {
    ring = new HashRing(List.of("sampler-1:4317", "sampler-2:4317", "sampler-3:4317"));
    traceId = TestData.randomId(16).toByteArray();
  }

  @Benchmark
  public String route() {
    return ring.backendFor(traceId);
  }
}
