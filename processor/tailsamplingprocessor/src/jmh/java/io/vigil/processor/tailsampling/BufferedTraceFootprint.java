package io.vigil.processor.tailsampling;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.processor.tailsampling.policy.PolicyConfig;
import io.vigil.processor.tailsampling.policy.Policies;
import io.vigil.testing.TelemetryPayloads;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Heap retained per buffered trace (a main, not JMH: JMH measures time and allocation, not what
 * stays reachable). Buffers {@code N} demo-shaped traces of 4 spans (the load driver's payloads,
 * parsed from their wire bytes as the OTLP receiver does), measures the heap in use after full
 * GCs before and after, then decides them all and measures what the decision cache keeps.
 * Run with {@code -XX:+UseSerialGC} so "in use after GC" is exact.
 */
public final class BufferedTraceFootprint {

  private BufferedTraceFootprint() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    FakeClock clock = new FakeClock();
    TelemetryPayloads payloads = new TelemetryPayloads(7);
    List<byte[]> wire = new ArrayList<>();
    long wireBytes = 0;
    int traces = 0;
    int spans = 0;
    for (int i = 0; i < requests; i++) {
      ExportTraceServiceRequest r = payloads.traces(512, System.currentTimeMillis() * 1_000_000L);
      byte[] b = r.toByteArray();
      wire.add(b);
      wireBytes += b.length;
      spans += 512;
      traces += 128; // TelemetryPayloads: a new trace every 4 spans
    }
    TailSamplingConfig c = new TailSamplingConfig();
    c.decisionWait = Duration.ofSeconds(30);
    c.numTraces = traces;
    PolicyConfig errors = new PolicyConfig();
    errors.name = "errors";
    errors.type = "status_code";
    errors.statusCode.statusCodes = List.of("ERROR");
    c.policies = List.of(errors);
    TailSamplingProcessor processor = new TailSamplingProcessor("footprint", c,
        Policies.build(c.policies, clock), b -> CompletableFuture.completedFuture(null), clock,
        new PrometheusRegistry(), LoggerFactory.getLogger("footprint"), false);

    long empty = heapAfterGc();
    for (byte[] b : wire) {
      processor.consume(ExportTraceServiceRequest.parseFrom(b));
    }
    long buffered = heapAfterGc();
    if (processor.bufferedTraces() != traces) {
      throw new IllegalStateException("buffered " + processor.bufferedTraces() + " of " + traces);
    }
    clock.advance(Duration.ofMinutes(1));
    processor.tick().join();
    long decided = heapAfterGc();
    Reference.reachabilityFence(processor);
    Reference.reachabilityFence(wire);

    System.out.printf(Locale.ROOT, "| metric | value |%n|---|---|%n");
    System.out.printf(Locale.ROOT, "| traces buffered (4 spans each) | %d |%n", traces);
    System.out.printf(Locale.ROOT, "| heap retained per buffered trace (bytes) | %.0f |%n",
        (double) (buffered - empty) / traces);
    System.out.printf(Locale.ROOT, "| heap retained per buffered span (bytes) | %.0f |%n",
        (double) (buffered - empty) / spans);
    System.out.printf(Locale.ROOT, "| OTLP wire bytes per trace | %.0f |%n",
        (double) wireBytes / traces);
    System.out.printf(Locale.ROOT, "| heap per trace remembered after the decision (bytes) | %.0f |%n",
        (double) (decided - empty) / traces);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
