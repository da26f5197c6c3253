package io.vigil.processor.tailsampling.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Each policy's decision on 2,000 seeded random traces equals an expectation the test computes
 * from the trace's own description (not from the evaluator's code path).
 */
class PolicyDecisionsTest {

  /** What the test generated, so expectations need not read protobuf. */
  record Model(ByteString traceId, int spans, long startMs, long endMs, boolean error,
      boolean ok, Long key1, String key2, Boolean key4, String traceState, String eventName) {}

  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong second = new AtomicLong();
  private final SamplingClock clock = new SamplingClock() {
    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public long epochSecond() {
      return second.get();
    }
  };

  private static final List<String> KEY2 = List.of("value1", "value2", "valley", "other");

  private static List<Model> models(long seed) {
    Random r = new Random(seed);
    List<Model> out = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      byte[] id = new byte[16];
      r.nextBytes(id);
      long start = 1_000 + r.nextInt(1000);
      out.add(new Model(ByteString.copyFrom(id), 1 + r.nextInt(25), start,
          start + r.nextInt(15_000), r.nextInt(5) == 0, r.nextInt(4) == 0,
          r.nextBoolean() ? (long) r.nextInt(200) : null,
          r.nextBoolean() ? KEY2.get(r.nextInt(KEY2.size())) : null,
          r.nextBoolean() ? r.nextBoolean() : null,
          r.nextInt(3) == 0 ? "key3=value" + r.nextInt(4) + ",other=x" : "",
          r.nextInt(3) == 0 ? "test_span_event_name" : "retry"));
    }
    return out;
  }

  /** The trace of a model: its attributes on the last span, key2 on the resource of another part. */
  private static BufferedTrace trace(Model m) {
    BufferedTrace t = new BufferedTrace(m.traceId(), 0);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < m.spans(); i++) {
      boolean first = i == 0;
      boolean last = i == m.spans() - 1;
      Span.Builder s = Span.newBuilder().setTraceId(m.traceId())
          .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) i}))
          .setName("op")
          .setStartTimeUnixNano((first ? m.startMs() : m.startMs() + 1) * 1_000_000L)
          .setEndTimeUnixNano((last ? m.endMs() : m.startMs() + 1) * 1_000_000L);
      if (last) {
        if (m.error()) {
          s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        } else if (m.ok()) {
          s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
        }
        if (m.key1() != null) {
          s.addAttributes(kv("key1", AnyValue.newBuilder().setIntValue(m.key1()).build()));
        }
        if (m.key4() != null) {
          s.addAttributes(kv("key4", AnyValue.newBuilder().setBoolValue(m.key4()).build()));
        }
        s.setTraceState(m.traceState());
        s.addEvents(Span.Event.newBuilder().setName(m.eventName()));
      }
      spans.add(s.build());
    }
    Resource.Builder other = Resource.newBuilder();
    if (m.key2() != null) {
      other.addAttributes(kv("key2", AnyValue.newBuilder().setStringValue(m.key2()).build()));
    }
    // Two parts, as from two services: key2 only on the second part's resource.
    int half = spans.size() / 2;
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    if (half > 0) {
      b.addResourceSpans(ResourceSpans.newBuilder().setResource(Resource.getDefaultInstance())
          .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans.subList(0, half))));
    }
    b.addResourceSpans(ResourceSpans.newBuilder().setResource(other)
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans.subList(half, spans.size()))));
    t.add(b.build());
    return t;
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private PolicyEvaluator build(String yamlType, java.util.function.Consumer<PolicyConfig> c) {
    PolicyConfig p = new PolicyConfig();
    p.name = "p";
    p.type = yamlType;
    c.accept(p);
    return Policies.build("policies::0", p, clock);
  }

  private void assertDecisions(PolicyEvaluator e, Predicate<Model> expected, Decision yes,
      Decision no) {
    int hits = 0;
    for (Model m : models(7)) {
      Decision want = expected.test(m) ? yes : no;
      assertThat(e.evaluate(trace(m))).as("trace %s", m).isEqualTo(want);
      hits += want == yes ? 1 : 0;
    }
    assertThat(hits).as("the expectation is neither always nor never").isBetween(1, 1999);
  }

  @Test
  void latency() {
    assertDecisions(build("latency", p -> {
      p.latency.thresholdMs = 5000;
      p.latency.upperThresholdMs = 10000;
    }), m -> m.endMs() - m.startMs() >= 5000 && m.endMs() - m.startMs() <= 10000,
        Decision.SAMPLED, Decision.NOT_SAMPLED);
  }

  @Test
  void statusCode() {
    assertDecisions(build("status_code", p -> p.statusCode.statusCodes = List.of("ERROR")),
        Model::error, Decision.SAMPLED, Decision.NOT_SAMPLED);
    // UNSET: every trace of more than one span has an unset span; a single span only if neither.
    assertDecisions(build("status_code", p -> p.statusCode.statusCodes = List.of("UNSET")),
        m -> m.spans() > 1 || (!m.error() && !m.ok()), Decision.SAMPLED, Decision.NOT_SAMPLED);
  }

  @Test
  void numericAttribute() {
    assertDecisions(build("numeric_attribute", p -> {
      p.numericAttribute.key = "key1";
      p.numericAttribute.minValue = 50.0;
      p.numericAttribute.maxValue = 100.0;
    }), m -> m.key1() != null && m.key1() >= 50 && m.key1() <= 100, Decision.SAMPLED,
        Decision.NOT_SAMPLED);
    assertDecisions(build("numeric_attribute", p -> {
      p.numericAttribute.key = "key1";
      p.numericAttribute.minValue = 50.0;
      p.numericAttribute.invertMatch = true;
    }), m -> m.key1() != null && m.key1() >= 50, Decision.INVERT_NOT_SAMPLED,
        Decision.INVERT_SAMPLED);
  }

  @Test
  void stringAttributeExactRegexAndInverted() {
    assertDecisions(build("string_attribute", p -> {
      p.stringAttribute.key = "key2";
      p.stringAttribute.values = List.of("value1", "value2");
    }), m -> "value1".equals(m.key2()) || "value2".equals(m.key2()), Decision.SAMPLED,
        Decision.NOT_SAMPLED);
    assertDecisions(build("string_attribute", p -> {
      p.stringAttribute.key = "key2";
      p.stringAttribute.values = List.of("^val(ue1|ley)$");
      p.stringAttribute.enabledRegexMatching = true;
      p.stringAttribute.cacheMaxSize = 2;
    }), m -> "value1".equals(m.key2()) || "valley".equals(m.key2()), Decision.SAMPLED,
        Decision.NOT_SAMPLED);
    assertDecisions(build("string_attribute", p -> {
      p.stringAttribute.key = "key2";
      p.stringAttribute.values = List.of("other");
      p.stringAttribute.invertMatch = true;
    }), m -> "other".equals(m.key2()), Decision.INVERT_NOT_SAMPLED, Decision.INVERT_SAMPLED);
  }

  @Test
  void booleanAttributeSpanCountTraceStateAndOttl() {
    assertDecisions(build("boolean_attribute", p -> {
      p.booleanAttribute.key = "key4";
      p.booleanAttribute.value = true;
    }), m -> Boolean.TRUE.equals(m.key4()), Decision.SAMPLED, Decision.NOT_SAMPLED);
    assertDecisions(build("span_count", p -> {
      p.spanCount.minSpans = 2;
      p.spanCount.maxSpans = 20;
    }), m -> m.spans() >= 2 && m.spans() <= 20, Decision.SAMPLED, Decision.NOT_SAMPLED);
    assertDecisions(build("trace_state", p -> {
      p.traceState.key = "key3";
      p.traceState.values = List.of("value1", "value2");
    }), m -> m.traceState().startsWith("key3=value1,") || m.traceState().startsWith("key3=value2,"),
        Decision.SAMPLED, Decision.NOT_SAMPLED);
    assertDecisions(build("ottl_condition", p -> {
      p.ottlCondition.span = List.of("attributes[\"key1\"] == 7");
      p.ottlCondition.spanevent = List.of("name == \"test_span_event_name\"");
    }), m -> (m.key1() != null && m.key1() == 7) || m.eventName().equals("test_span_event_name"),
        Decision.SAMPLED, Decision.NOT_SAMPLED);
  }

  @Test
  void andAndDrop() {
    java.util.function.Consumer<PolicyConfig> subs = p -> {
      PolicyConfig a = new PolicyConfig();
      a.name = "a";
      a.type = "status_code";
      a.statusCode.statusCodes = List.of("ERROR");
      PolicyConfig b = new PolicyConfig();
      b.name = "b";
      b.type = "span_count";
      b.spanCount.minSpans = 10;
      p.andPolicy.andSubPolicy = List.of(a, b);
      p.drop.dropSubPolicy = List.of(a, b);
    };
    assertDecisions(build("and", subs), m -> m.error() && m.spans() >= 10, Decision.SAMPLED,
        Decision.NOT_SAMPLED);
    assertDecisions(build("drop", subs), m -> m.error() && m.spans() >= 10, Decision.DROPPED,
        Decision.NOT_SAMPLED);
  }

  @Test
  void probabilisticIsTheCollectorsFnvHashAndSharesTraces() {
    // FNV-1a 64 test vectors (the Collector hashes salt then trace ID with Go's fnv.New64a).
    assertThat(Probabilistic.hash(new byte[0], new byte[0])).isEqualTo(0xcbf29ce484222325L);
    assertThat(Probabilistic.hash("a".getBytes(StandardCharsets.UTF_8), new byte[0]))
        .isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(Probabilistic.hash("foo".getBytes(StandardCharsets.UTF_8),
        "bar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0x85944171f73967e8L);
    PolicyEvaluator tenPercent = build("probabilistic", p -> p.probabilistic.samplingPercentage = 10);
    PolicyEvaluator again = build("probabilistic", p -> p.probabilistic.samplingPercentage = 10);
    byte[] salt = Probabilistic.DEFAULT_SALT.getBytes(StandardCharsets.UTF_8);
    long threshold = Probabilistic.threshold(0.10);
    int sampled = 0;
    for (Model m : models(11)) {
      BufferedTrace t = trace(m);
      boolean want = Long.compareUnsigned(
          Probabilistic.hash(salt, m.traceId().toByteArray()), threshold) <= 0;
      assertThat(tenPercent.evaluate(t) == Decision.SAMPLED).isEqualTo(want);
      assertThat(again.evaluate(t)).as("every gateway decides a trace alike")
          .isEqualTo(tenPercent.evaluate(t));
      sampled += want ? 1 : 0;
    }
    assertThat(sampled).isBetween(140, 260);
    PolicyEvaluator all = build("probabilistic", p -> p.probabilistic.samplingPercentage = 100);
    PolicyEvaluator none = build("probabilistic", p -> p.probabilistic.samplingPercentage = 0);
    for (Model m : models(3)) {
      assertThat(all.evaluate(trace(m))).isEqualTo(Decision.SAMPLED);
      assertThat(none.evaluate(trace(m))).isEqualTo(Decision.NOT_SAMPLED);
    }
  }

  @Test
  void rateLimitingCountsSpansPerSecond() {
    PolicyEvaluator e = build("rate_limiting", p -> p.rateLimiting.spansPerSecond = 35);
    List<Model> ms = models(5);
    long inSecond = 0;
    for (int i = 0; i < 600; i++) {
      if (i % 50 == 0) {
        second.incrementAndGet();
        inSecond = 0;
      }
      Model m = ms.get(i);
      boolean want = inSecond + m.spans() < 35;
      if (want) {
        inSecond += m.spans();
      }
      assertThat(e.evaluate(trace(m)) == Decision.SAMPLED).as("trace %d", i).isEqualTo(want);
    }
  }

  @Test
  void compositeGivesEachSubPolicyItsShareOfTheSecond() {
    PolicyEvaluator e = build("composite", p -> {
      PolicyConfig errors = new PolicyConfig();
      errors.name = "errors";
      errors.type = "status_code";
      errors.statusCode.statusCodes = List.of("ERROR");
      PolicyConfig rest = new PolicyConfig();
      rest.name = "rest";
      rest.type = "always_sample";
      p.composite.maxTotalSpansPerSecond = 100;
      p.composite.policyOrder = List.of("errors", "rest");
      p.composite.compositeSubPolicy = List.of(errors, rest);
      PolicyConfig.RateAllocation a = new PolicyConfig.RateAllocation();
      a.policy = "errors";
      a.percent = 60;
      p.composite.rateAllocation = List.of(a);
    });
    List<Model> ms = models(9);
    long errorsUsed = 0;
    long restUsed = 0;
    for (int i = 0; i < 400; i++) {
      if (i % 40 == 0) {
        second.incrementAndGet();
        errorsUsed = 0;
        restUsed = 0;
      }
      Model m = ms.get(i);
      boolean want = false;
      if (m.error() && errorsUsed + m.spans() <= 60 && errorsUsed + restUsed + m.spans() <= 100) {
        errorsUsed += m.spans();
        want = true;
      } else if (restUsed + m.spans() <= 40 && errorsUsed + restUsed + m.spans() <= 100) {
        restUsed += m.spans();
        want = true;
      }
      assertThat(e.evaluate(trace(m)) == Decision.SAMPLED).as("trace %d", i).isEqualTo(want);
    }
  }

  @Test
  void bytesLimitingIsATokenBucket() {
    PolicyEvaluator e = build("bytes_limiting", p -> {
      p.bytesLimiting.bytesPerSecond = 1000;
      p.bytesLimiting.burstCapacity = 3000;
    });
    double tokens = 3000;
    for (Model m : models(13).subList(0, 300)) {
      nanos.addAndGet(100_000_000L);
      tokens = Math.min(3000, tokens + 100);
      BufferedTrace t = trace(m);
      boolean want = t.bytes() <= tokens;
      if (want) {
        tokens -= t.bytes();
      }
      assertThat(e.evaluate(t) == Decision.SAMPLED).isEqualTo(want);
    }
  }

  @Test
  void theFinalDecisionFollowsTheCollectorsPrecedence() {
    assertThat(Decision.combine(List.of(Decision.SAMPLED, Decision.DROPPED))).isFalse();
    assertThat(Decision.combine(List.of(Decision.SAMPLED, Decision.INVERT_NOT_SAMPLED))).isFalse();
    assertThat(Decision.combine(List.of(Decision.NOT_SAMPLED, Decision.SAMPLED))).isTrue();
    assertThat(Decision.combine(List.of(Decision.INVERT_SAMPLED))).isTrue();
    assertThat(Decision.combine(List.of(Decision.INVERT_SAMPLED, Decision.NOT_SAMPLED))).isFalse();
    assertThat(Decision.combine(List.of(Decision.NOT_SAMPLED))).isFalse();
    assertThat(Decision.combine(List.of())).isFalse();
  }
}
