package io.vigil.processor.probabilisticsampler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sampler's documented behaviour, on spans and log records built for each case. */
class ProbabilisticSamplerTest {

  static ExportTraceServiceRequest run(Map<String, Object> config, ExportTraceServiceRequest in) {
    ProbabilisticSamplerConfig c = ConfigLoader.configBinder().convertValue(config, ProbabilisticSamplerConfig.class);
    ProbabilisticSamplerProcessorFactory f = new ProbabilisticSamplerProcessorFactory();
    f.validate(c);
    RecordingConsumer<ExportTraceServiceRequest> out = new RecordingConsumer<>();
    f.create(new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("probabilistic_sampler"),
        new GatewayTelemetry()), c, Signal.TRACES, out).consume(in).join();
    return out.batches().isEmpty() ? ExportTraceServiceRequest.getDefaultInstance() : out.batches().get(0);
  }

  static ExportLogsServiceRequest runLogs(Map<String, Object> config, ExportLogsServiceRequest in) {
    ProbabilisticSamplerConfig c = ConfigLoader.configBinder().convertValue(config, ProbabilisticSamplerConfig.class);
    ProbabilisticSamplerProcessorFactory f = new ProbabilisticSamplerProcessorFactory();
    f.validate(c);
    RecordingConsumer<ExportLogsServiceRequest> out = new RecordingConsumer<>();
    f.create(new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("probabilistic_sampler"),
        new GatewayTelemetry()), c, Signal.LOGS, out).consume(in).join();
    return out.batches().isEmpty() ? ExportLogsServiceRequest.getDefaultInstance() : out.batches().get(0);
  }

  static Span span(String traceIdHex, String traceState, KeyValue... attrs) {
    return Span.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceIdHex)))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setName("op").setTraceState(traceState).addAllAttributes(List.of(attrs)).build();
  }

  static ExportTraceServiceRequest request(List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))).build();
  }

  static List<Span> spans(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).toList();
  }

  static List<Span> randomSpans(int n, long seed) {
    Random r = new Random(seed);
    List<Span> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] id = new byte[16];
      r.nextBytes(id);
      out.add(span(HexFormat.of().formatHex(id), ""));
    }
    return out;
  }

  static KeyValue kv(String k, Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof Long l) {
      b.setIntValue(l);
    } else {
      b.setStringValue(v.toString());
    }
    return KeyValue.newBuilder().setKey(k).setValue(b).build();
  }

  @Test
  void theReadmesTraceStateExample() {
    // A span with randomness 9b8233f7e3a151 and 100 % sampling, through 50 % proportional:
    // sampled (the threshold 80000000000000 is below the randomness), th:8 recorded.
    Span s = span("00000000000000000000000000000001", "ot=th:0;rv:9b8233f7e3a151");
    List<Span> out = spans(run(Map.of("sampling_percentage", 50, "mode", "proportional"), request(List.of(s))));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getTraceState()).isEqualTo("ot=th:8;rv:9b8233f7e3a151");
  }

  @Test
  void proportionalKeepsTheConfiguredShareAndWritesTheThreshold() {
    List<Span> in = randomSpans(20_000, 1);
    List<Span> out = spans(run(Map.of("sampling_percentage", 25), request(in)));
    assertThat(out.size() / 20_000.0).isBetween(0.23, 0.27);
    assertThat(out).allSatisfy(s -> assertThat(s.getTraceState()).isEqualTo("ot=th:c"));
  }

  @Test
  void proportionalMultipliesWithAnEarlierSamplersProbability() {
    // Arriving at 50 % (th:8), 50 % more: 25 % overall, th:c; only spans that passed th:8 arrive.
    List<Span> in = randomSpans(20_000, 2).stream()
        .map(s -> s.toBuilder().setTraceState("ot=th:8").build())
        .filter(s -> (s.getTraceId().byteAt(9) & 0x80) != 0)
        .toList();
    List<Span> out = spans(run(Map.of("sampling_percentage", 50), request(in)));
    assertThat(out.size() / (double) in.size()).isBetween(0.47, 0.53);
    assertThat(out).allSatisfy(s -> assertThat(s.getTraceState()).isEqualTo("ot=th:c"));
  }

  @Test
  void equalizingLeavesAlreadySampledSpansAtTheirRate() {
    // In-house spans arrive at 10 % (th:e666), third-party ones unsampled; 10 % equalizing keeps
    // every in-house span that arrived and about a tenth of the rest.
    Threshold10 t = new Threshold10();
    List<Span> inHouse = randomSpans(20_000, 3).stream()
        .filter(s -> t.passes(s)).map(s -> s.toBuilder().setTraceState("ot=th:e666").build()).toList();
    List<Span> thirdParty = randomSpans(10_000, 4);
    Map<String, Object> cfg = Map.of("sampling_percentage", 10, "mode", "equalizing");
    assertThat(spans(run(cfg, request(inHouse)))).hasSize(inHouse.size());
    assertThat(spans(run(cfg, request(thirdParty))).size() / 10_000.0).isBetween(0.09, 0.11);
  }

  /** Whether a span's trace ID passes th:e666. */
  private static final class Threshold10 {
    boolean passes(Span s) {
      long r = 0;
      for (int i = 9; i < 16; i++) {
        r = (r << 8) | (s.getTraceId().byteAt(i) & 0xff);
      }
      return r >= 0xe6660000000000L;
    }
  }

  @Test
  void decisionsAreConsistentAcrossRatesInEveryMode() {
    List<Span> in = randomSpans(5_000, 5);
    for (Map<String, Object> low : List.<Map<String, Object>>of(
        Map.of("sampling_percentage", 10, "mode", "proportional"),
        Map.of("sampling_percentage", 10, "mode", "equalizing"),
        Map.of("sampling_percentage", 10, "hash_seed", 22))) {
      Map<String, Object> high = new java.util.HashMap<>(low);
      high.put("sampling_percentage", 50);
      Set<ByteString> lowIds = ids(run(low, request(in)));
      Set<ByteString> highIds = ids(run(high, request(in)));
      assertThat(highIds).as("mode %s", low).containsAll(lowIds);
      assertThat(highIds.size()).isGreaterThan(lowIds.size() * 3);
    }
  }

  private static Set<ByteString> ids(ExportTraceServiceRequest r) {
    Set<ByteString> s = new HashSet<>();
    spans(r).forEach(x -> s.add(x.getTraceId()));
    return s;
  }

  @Test
  void hashSeedModeRecordsTheRandomnessItUsed() {
    // rv of this trace ID with seed 22 is 2ef3615663b443 (see ThresholdAndRandomnessTest); its
    // top 14 bits (3004 of 16384) decide. 90 %: 16384 - (int) (90 * 163.84f) = 1639 buckets
    // rejected, threshold 1639 << 42 = th:199c, kept. 20 %: 13108 rejected, dropped.
    Span s = span("0102030405060708090a0b0c0d0e0f10", "vendor=x");
    List<Span> at20 = spans(run(Map.of("sampling_percentage", 20, "hash_seed", 22), request(List.of(s))));
    List<Span> at90 = spans(run(Map.of("sampling_percentage", 90, "hash_seed", 22), request(List.of(s))));
    assertThat(at20).isEmpty();
    assertThat(at90).hasSize(1);
    assertThat(at90.get(0).getTraceState()).isEqualTo("ot=th:199c;rv:2ef3615663b443,vendor=x");
  }

  @Test
  void samplingPriorityOverridesTheRate() {
    List<Span> in = List.of(
        span("00000000000000000000000000000002", "", kv("sampling.priority", 1L)),
        span("00000000000000000000000000000003", "", kv("sampling.priority", 0L)),
        span("ffffffffffffffffffffffffffffffff", "", kv("sampling.priority", "0")));
    List<Span> out = spans(run(Map.of("sampling_percentage", 1), request(in)));
    assertThat(out).extracting(s -> s.getTraceId().byteAt(15)).containsExactly((byte) 2);
    assertThat(out.get(0).getTraceState()).isEqualTo("ot=th:0");
  }

  @Test
  void failClosedDropsWhatHasNoRandomnessFailOpenPassesIt() {
    List<Span> in = List.of(span("00000000000000000000000000000000", ""),
        span("ffffffffffffffffffffffffffffffff", "ot=th:zz"));
    assertThat(spans(run(Map.of("sampling_percentage", 100), request(in)))).isEmpty();
    assertThat(spans(run(Map.of("sampling_percentage", 100, "fail_closed", false), request(in)))).hasSize(2);
  }

  @Test
  void anArrivingThresholdTheTraceIdDoesNotPassIsInconsistent() {
    // th:8 needs randomness at or above 80000000000000; this trace ID's is 00000000000001.
    Span liar = span("00000000000000000000000000000001", "ot=th:8");
    assertThat(spans(run(Map.of("sampling_percentage", 100), request(List.of(liar))))).isEmpty();
    List<Span> open = spans(run(Map.of("sampling_percentage", 100, "fail_closed", false), request(List.of(liar))));
    assertThat(open.get(0).getTraceState()).isEmpty();
  }

  @Test
  void aRequestWithEverySpanKeptIsTheSameObjectWhenNothingIsWritten() {
    Span s = span("ffffffffffffffffffffffffffffffff", "ot=th:0");
    ExportTraceServiceRequest in = request(List.of(s));
    assertThat(run(Map.of("sampling_percentage", 100), in)).isSameAs(in);
  }

  @Test
  void logsByTraceIdAndByRecordAttribute() {
    LogRecord withTrace = LogRecord.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("000000000000000000ffffffffffffff"))).build();
    LogRecord byAttr = LogRecord.newBuilder().addAttributes(kv("record.id", "r-1")).build();
    LogRecord nothing = LogRecord.newBuilder().build();
    ExportLogsServiceRequest in = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(withTrace).addLogRecords(byAttr).addLogRecords(nothing)))
        .build();
    List<LogRecord> out = runLogs(Map.of("sampling_percentage", 100, "from_attribute", "record.id"), in)
        .getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(out).hasSize(2);
    assertThat(out.get(0).getAttributesList()).extracting(KeyValue::getKey).containsExactly("sampling.threshold");
    assertThat(out.get(1).getAttributesList()).extracting(KeyValue::getKey)
        .containsExactly("record.id", "sampling.threshold", "sampling.randomness");
  }

  @Test
  void logSamplingPriorityZeroDropsAndAHighOneRaisesTheRate() {
    LogRecord keep = LogRecord.newBuilder().addAttributes(kv("id", "a")).addAttributes(kv("prio", 100L)).build();
    LogRecord drop = LogRecord.newBuilder().addAttributes(kv("id", "b")).addAttributes(kv("prio", 0L)).build();
    ExportLogsServiceRequest in = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(keep).addLogRecords(drop))).build();
    List<LogRecord> out = runLogs(Map.of("sampling_percentage", 0.0001, "attribute_source", "record",
        "from_attribute", "id", "sampling_priority", "prio"), in).getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getAttributes(0).getValue().getStringValue()).isEqualTo("a");
  }
}
