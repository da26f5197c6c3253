package io.vigil.processor.probabilisticsampler;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Cost per span of a 10 % decision in each mode, over requests of 512 spans. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProbabilisticSamplerBenchmark {
  private static final int SPANS = 512;

  @Param({"proportional", "equalizing", "hash_seed"})
  public String mode;

  private Processor<ExportTraceServiceRequest> processor;
  private ExportTraceServiceRequest request;

  @Setup
  public void setUp(Blackhole bh) {
    ProbabilisticSamplerConfig c = new ProbabilisticSamplerConfig();
    c.samplingPercentage = 10;
    c.mode = mode;
    processor = new ProbabilisticSamplerProcessorFactory().create(
        new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("probabilistic_sampler"),
            new GatewayTelemetry()), c, Signal.TRACES, b -> {
              bh.consume(b);
              return CompletableFuture.completedFuture(null);
            });
    Random r = new Random(1);
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < SPANS; i++) {
      byte[] id = new byte[16];
      r.nextBytes(id);
      ss.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(id)).setName("op"));
    }
    request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build();
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void perSpan() {
    processor.consume(request).join();
  }
}
