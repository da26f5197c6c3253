package io.vigil.processor.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.processor.tailsampling.policy.PolicyConfig;
import io.vigil.processor.tailsampling.policy.Policies;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Seeded random traffic (traces spread over batches and time, odd trace IDs, empty requests,
 * late spans, more traces than num_traces) through a processor with random policies: never an
 * exception, the buffer never above num_traces, no span passed twice, and every span either
 * passed, dropped with its trace's decision, or counted as dropped too early.
 */
class TailSamplingFuzzTest {

  @Test
  @Timeout(60)
  void randomTrafficKeepsTheInvariants() {
    Random rnd = new Random(26_2026L);
    for (int round = 0; round < 30; round++) {
      FakeClock clock = new FakeClock();
      RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
      TailSamplingConfig c = new TailSamplingConfig();
      c.decisionWait = Duration.ofMillis(100 + rnd.nextInt(2000));
      c.numTraces = 5 + rnd.nextInt(50);
      c.decisionCache.sampledCacheSize = rnd.nextInt(3) == 0 ? 1 : 0;
      c.sampleOnFirstMatch = rnd.nextBoolean();
      c.policies = randomPolicies(rnd);
      TailSamplingProcessor p = new TailSamplingProcessor("fuzz", c,
          Policies.build(c.policies, clock), next, clock, new PrometheusRegistry(),
          LoggerFactory.getLogger("fuzz"), false);
      p.start();
      List<ByteString> traces = new ArrayList<>();
      Set<ByteString> sent = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        if (traces.isEmpty() || rnd.nextInt(3) == 0) {
          byte[] id = new byte[rnd.nextInt(12) == 0 ? rnd.nextInt(20) : 16];
          rnd.nextBytes(id);
          traces.add(ByteString.copyFrom(id));
        }
        List<Span.Builder> spans = new ArrayList<>();
        for (int k = 0; k < rnd.nextInt(6); k++) {
          Span.Builder s = Spans.span(traces.get(rnd.nextInt(traces.size())),
              rnd.nextInt(1000), rnd.nextInt(20_000));
          if (rnd.nextBoolean()) {
            Spans.withStatus(s, Status.StatusCode.forNumber(rnd.nextInt(3)));
          }
          if (rnd.nextBoolean()) {
            s.addAttributes(TestData.str("k", "v" + rnd.nextInt(3)));
          }
          sent.add(s.getSpanId());
          spans.add(s);
        }
        assertThat(p.consume(Spans.request("svc" + rnd.nextInt(3),
            spans.toArray(Span.Builder[]::new)))).isCompleted();
        assertThat(p.bufferedTraces()).isLessThanOrEqualTo(c.numTraces);
        clock.advance(Duration.ofMillis(rnd.nextInt(200)));
        if (rnd.nextInt(4) == 0) {
          p.tick().join();
        }
      }
      p.shutdown(Instant.now().plusSeconds(5));
      assertThat(p.bufferedTraces()).isZero();
      Map<ByteString, Integer> passed = new HashMap<>();
      next.batches().forEach(b -> b.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
          .forEach(ss -> ss.getSpansList().forEach(s -> passed.merge(s.getSpanId(), 1,
              Integer::sum)))));
      assertThat(passed.values()).as("no span passed twice").allMatch(n -> n == 1);
      assertThat(sent).containsAll(passed.keySet());
    }
  }

  private static List<PolicyConfig> randomPolicies(Random rnd) {
    List<PolicyConfig> out = new ArrayList<>();
    String[] types = {"always_sample", "status_code", "latency", "probabilistic",
        "string_attribute", "rate_limiting", "span_count"};
    for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
      PolicyConfig p = new PolicyConfig();
      p.name = "p" + i;
      p.type = types[rnd.nextInt(types.length)];
      p.statusCode.statusCodes = List.of("ERROR");
      p.latency.thresholdMs = rnd.nextInt(10_000);
      p.probabilistic.samplingPercentage = rnd.nextInt(101);
      p.stringAttribute.key = "k";
      p.stringAttribute.values = List.of("v" + rnd.nextInt(3));
      p.stringAttribute.invertMatch = rnd.nextBoolean();
      p.rateLimiting.spansPerSecond = 1 + rnd.nextInt(50);
      p.spanCount.minSpans = rnd.nextInt(4);
      out.add(p);
    }
    return out;
  }
}
