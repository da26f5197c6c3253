package io.vigil.processor.tailsampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.processor.tailsampling.policy.PolicyConfig;
import io.vigil.processor.tailsampling.policy.Policies;
import io.vigil.processor.tailsampling.policy.SamplingClock;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.slf4j.LoggerFactory;

/**
 * Buffering and deciding one batch of 100 traces of 10 spans (1,000 spans) with four policies
 * (status_code, latency, string_attribute, probabilistic): divide by 100 for the cost per
 * trace. Run with {@code -prof gc} for the bytes allocated per trace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TailSamplingBenchmark {

  private final AtomicLong nanos = new AtomicLong();
  private TailSamplingProcessor processor;
  private final ExportTraceServiceRequest[] batches = new ExportTraceServiceRequest[64];
  private int nextBatch;

  @Setup
  public void setUp() {
    SamplingClock clock = new SamplingClock() {
      @Override
      public long nanoTime() {
        return nanos.get();
      }

      @Override
      public long epochSecond() {
        return nanos.get() / 1_000_000_000L;
      }
    };
    TailSamplingConfig c = new TailSamplingConfig();
    c.decisionWait = Duration.ofSeconds(1);
    c.numTraces = 10_000;
    // Tiny decision caches: a batch's traces are forgotten before the batch comes round again,
    // so each call buffers and decides 100 traces instead of releasing late spans.
    c.decisionCache.sampledCacheSize = 1;
    c.decisionCache.nonSampledCacheSize = 1;
    c.policies = List.of(policy("errors", "status_code"), policy("slow", "latency"),
        policy("vip", "string_attribute"), policy("some", "probabilistic"));
    processor = new TailSamplingProcessor("bench", c, Policies.build(c.policies, clock),
        b -> CompletableFuture.completedFuture(null), clock, new PrometheusRegistry(),
        LoggerFactory.getLogger("bench"), false);
    for (int i = 0; i < batches.length; i++) {
      batches[i] = batch();
    }
  }

  private static ExportTraceServiceRequest batch() {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int t = 0; t < 100; t++) {
      ByteString id = TestData.randomId(16);
      for (int s = 0; s < 10; s++) {
        ss.addSpans(Span.newBuilder().setTraceId(id).setSpanId(TestData.randomId(8))
            .setName("op").setStartTimeUnixNano(s).setEndTimeUnixNano(1_000_000L * t)
            .setStatus(Status.newBuilder().setCodeValue(t % 7 == 0 ? 2 : 0))
            .addAttributes(TestData.str("customer", t % 10 == 0 ? "vip" : "other")));
      }
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(TestData.resource("bench")).addScopeSpans(ss)).build();
  }

  private static PolicyConfig policy(String name, String type) {
    PolicyConfig p = new PolicyConfig();
    p.name = name;
    p.type = type;
    p.statusCode.statusCodes = List.of("ERROR");
    p.latency.thresholdMs = 50;
    p.stringAttribute.key = "customer";
    p.stringAttribute.values = List.of("vip");
    p.probabilistic.samplingPercentage = 5;
    return p;
  }

  @Benchmark
  public CompletableFuture<Void> bufferAndDecide100Traces() {
    processor.consume(batches[nextBatch++ & (batches.length - 1)]);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    return processor.tick();
  }
}
