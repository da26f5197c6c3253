package io.vigil.processor.groupbytrace;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;

/**
 * Cost per span of taking a request of 512 spans (64 traces of 8) into the held traces; the
 * release happens later, on the processor's timer, with a 50 ms wait.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GroupByTraceBenchmark {
  private static final int SPANS = 512;
  private GroupByTraceProcessor processor;
  private ExportTraceServiceRequest[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    processor = new GroupByTraceProcessor("bench", Duration.ofMillis(50), 1_000_000,
        b -> CompletableFuture.completedFuture(null), LoggerFactory.getLogger("bench"));
    Random r = new Random(1);
    requests = new ExportTraceServiceRequest[64];
    for (int q = 0; q < requests.length; q++) {
      ScopeSpans.Builder ss = ScopeSpans.newBuilder();
      byte[][] traces = new byte[SPANS / 8][16];
      for (byte[] t : traces) {
        r.nextBytes(t);
      }
      for (int i = 0; i < SPANS; i++) {
        ss.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traces[i % traces.length]))
            .setName("op"));
      }
      requests[q] = ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    processor.shutdown(Instant.now().plusSeconds(5));
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object take() {
    return processor.consume(requests[next++ & 63]);
  }
}
