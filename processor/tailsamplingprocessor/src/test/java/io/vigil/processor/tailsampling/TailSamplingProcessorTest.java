package io.vigil.processor.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Status;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.processor.tailsampling.policy.PolicyConfig;
import io.vigil.processor.tailsampling.policy.Policies;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The processor with a clock the test moves: when a trace is decided, what passes, what late
 * spans do, and how memory stays bounded.
 */
class TailSamplingProcessorTest {

  private final FakeClock clock = new FakeClock();
  private final RecordingConsumer<ExportTraceServiceRequest> next = new RecordingConsumer<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final GatewayTelemetry telemetry = new GatewayTelemetry(registry);

  private static PolicyConfig policy(String name, String type) {
    PolicyConfig p = new PolicyConfig();
    p.name = name;
    p.type = type;
    return p;
  }

  private static PolicyConfig errors() {
    PolicyConfig p = policy("errors", "status_code");
    p.statusCode.statusCodes = List.of("ERROR");
    return p;
  }

  private TailSamplingProcessor processor(int numTraces, PolicyConfig... policies) {
    TailSamplingConfig c = new TailSamplingConfig();
    c.decisionWait = Duration.ofSeconds(10);
    c.numTraces = numTraces;
    c.policies = List.of(policies);
    TailSamplingProcessor p = new TailSamplingProcessor("tail_sampling", c,
        Policies.build(c.policies, clock), next, clock, registry,
        LoggerFactory.getLogger("test"), false);
    p.start();
    return p;
  }

  private double metric(String name, String... labelPairs) {
    return Metrics.value(telemetry, name, labelPairs);
  }

  @Test
  void aTraceIsDecidedWholeOnlyAfterDecisionWait() {
    TailSamplingProcessor p = processor(100, errors());
    ByteString t = TestData.randomId(16);
    assertThat(p.consume(Spans.request("a", Spans.span(t)))).isCompleted();
    clock.advance(Duration.ofSeconds(5));
    // The error arrives later, from another service: the decision must see it.
    p.consume(Spans.request("b", Spans.withStatus(Spans.span(t), Status.StatusCode.STATUS_CODE_ERROR)));
    p.tick();
    assertThat(next.batches()).as("nothing before decision_wait").isEmpty();
    clock.advance(Duration.ofSeconds(5));
    p.tick().join();
    assertThat(next.batches()).hasSize(1);
    assertThat(next.batches().get(0).getResourceSpansCount()).isEqualTo(2);
    assertThat(p.bufferedTraces()).isZero();
  }

  @Test
  void unmatchedTracesAreDroppedAndTheDecisionsCounted() {
    TailSamplingProcessor p = processor(100, errors());
    ByteString keep = TestData.randomId(16);
    ByteString drop = TestData.randomId(16);
    p.consume(Spans.request("a",
        Spans.withStatus(Spans.span(keep), Status.StatusCode.STATUS_CODE_ERROR),
        Spans.span(drop)));
    clock.advance(Duration.ofSeconds(10));
    p.tick().join();
    assertThat(Spans.traceIds(next.batches())).containsExactly(keep);
    assertThat(metric("otelcol_processor_tail_sampling_count_traces_sampled",
        "policy", "errors", "sampled", "true")).isEqualTo(1);
    assertThat(metric("otelcol_processor_tail_sampling_global_count_traces_sampled",
        "sampled", "false")).isEqualTo(1);
  }

  @Test
  void lateSpansFollowTheCachedDecision() {
    TailSamplingProcessor p = processor(100, errors());
    ByteString keep = TestData.randomId(16);
    ByteString drop = TestData.randomId(16);
    p.consume(Spans.request("a",
        Spans.withStatus(Spans.span(keep), Status.StatusCode.STATUS_CODE_ERROR),
        Spans.span(drop)));
    clock.advance(Duration.ofSeconds(10));
    p.tick().join();
    next.clear();

    var lateKept = Spans.span(keep).build();
    var lateDropped = Spans.span(drop).build();
    p.consume(Spans.request("late", lateKept.toBuilder(), lateDropped.toBuilder())).join();
    assertThat(Spans.spanIds(next.batches())).as("a kept trace's late span goes on at once")
        .containsExactly(lateKept.getSpanId());
    assertThat(p.bufferedTraces()).as("late spans do not start traces of their own").isZero();
    assertThat(metric("otelcol_processor_tail_sampling_early_releases_from_cache_decision",
        "sampled", "false")).isEqualTo(1);
  }

  @Test
  void overNumTracesTheOldestIsDroppedUndecidedAndCounted() {
    TailSamplingProcessor p = processor(10, policy("all", "always_sample"));
    for (int i = 0; i < 15; i++) {
      p.consume(Spans.request("a", Spans.span(TestData.randomId(16)),
          Spans.span(TestData.randomId(16))));
    }
    assertThat(p.bufferedTraces()).isEqualTo(10);
    assertThat(p.droppedTooEarly()).isEqualTo(20);
    assertThat(metric("otelcol_processor_tail_sampling_sampling_trace_dropped_too_early"))
        .isEqualTo(20);
    assertThat(metric("vigil_processor_tail_sampling_spans_dropped_too_early")).isEqualTo(20);
    assertThat(metric("otelcol_processor_tail_sampling_sampling_traces_on_memory"))
        .isEqualTo(10);
    clock.advance(Duration.ofSeconds(10));
    p.tick().join();
    assertThat(Spans.traceIds(next.batches())).hasSize(10);
  }

  /**
   * rate_limiting through the processor, exactly: traces of 1-5 spans arrive over four seconds
   * of the test's clock, each second's arrivals are decided together decision_wait later, in
   * arrival order, within one second of the clock; a trace is kept while the spans kept in that
   * second plus its own stay below spans_per_second (the Collector's strict bound), and the
   * count starts again each second. (The two-tier test can only bound this: its samplers count
   * per wall-clock second, and which traces share a second depends on the machine's timing.)
   */
  @Test
  void rateLimitingKeepsExactlyTheTracesThatFitEachSecond() {
    PolicyConfig rate = policy("rate", "rate_limiting");
    rate.rateLimiting.spansPerSecond = 12;
    TailSamplingProcessor p = processor(10_000, rate);
    java.util.Random random = new java.util.Random(26);
    List<ByteString> expected = new java.util.ArrayList<>();
    for (int second = 0; second < 4; second++) {
      long keptThisSecond = 0;
      for (int i = 0; i < 9; i++) {
        ByteString t = TestData.randomId(16);
        int spans = 1 + random.nextInt(5);
        var builders = new io.opentelemetry.proto.trace.v1.Span.Builder[spans];
        for (int s = 0; s < spans; s++) {
          builders[s] = Spans.span(t);
        }
        p.consume(Spans.request("svc", builders)).join();
        if (keptThisSecond + spans < 12) {
          keptThisSecond += spans;
          expected.add(t);
        }
      }
      clock.advance(Duration.ofSeconds(1));
    }
    // Now 4 s after the first arrivals: 6 s more and they are decision_wait (10 s) old.
    clock.advance(Duration.ofSeconds(6));
    // One tick per second of arrivals: each decides the traces that arrived in one second.
    for (int second = 0; second < 4; second++) {
      p.tick().join();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(p.bufferedTraces()).isZero();
    List<ByteString> kept = next.batches().stream()
        .flatMap(b -> b.getResourceSpansList().stream())
        .map(rs -> rs.getScopeSpans(0).getSpans(0).getTraceId()).distinct().toList();
    assertThat(kept).containsExactlyElementsOf(expected);
    assertThat(kept).as("some traces do not fit").hasSizeLessThan(36);
  }

  @Test
  void aDropPolicyWinsOverAnySample() {
    PolicyConfig drop = policy("no-health", "drop");
    PolicyConfig health = policy("health", "string_attribute");
    health.stringAttribute.key = "url.path";
    health.stringAttribute.values = List.of("/health");
    drop.drop.dropSubPolicy = List.of(health);
    TailSamplingProcessor p = processor(100, policy("all", "always_sample"), drop);
    ByteString h = TestData.randomId(16);
    ByteString other = TestData.randomId(16);
    p.consume(Spans.request("a", Spans.with(Spans.span(h), TestData.str("url.path", "/health")),
        Spans.with(Spans.span(other), TestData.str("url.path", "/orders"))));
    clock.advance(Duration.ofSeconds(10));
    p.tick().join();
    assertThat(Spans.traceIds(next.batches())).containsExactly(other);
  }

  @Test
  void shutdownDecidesWhatIsBuffered() {
    TailSamplingProcessor p = processor(100, policy("all", "always_sample"));
    ByteString t = TestData.randomId(16);
    p.consume(Spans.request("a", Spans.span(t)));
    p.shutdown(Instant.now().plusSeconds(5));
    assertThat(Spans.traceIds(next.batches())).containsExactly(t);
    assertThat(p.consume(Spans.request("a", Spans.span(t)))).isCompletedExceptionally();
  }
}
