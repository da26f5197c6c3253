package io.vigil.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.kafka.OtlpEncoding;
import io.vigil.testing.TestData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random batches (random shapes, empty scopes and resources, missing or odd-length trace
 * IDs, random topic attributes) through every splitting mode: never an exception, and the
 * messages hold exactly the spans of the batch, each once, each trace under its own key.
 */
class MessageSplitterFuzzTest {

  @Test
  void everySpanLandsInExactlyOneMessage() throws Exception {
    Random rnd = new Random(20261128L);
    for (int round = 0; round < 300; round++) {
      ExportTraceServiceRequest batch = randomBatch(rnd);
      List<Span> sent = spans(batch);
      for (int mode = 0; mode < 4; mode++) {
        MessageSplitter<ExportTraceServiceRequest> splitter = new MessageSplitter<>(
            Signal.TRACES, "t", rnd.nextBoolean() ? OtlpEncoding.OTLP_PROTO
                : OtlpEncoding.OTLP_JSON, mode == 1, mode == 2, mode == 3 ? "topic" : "");
        List<Span> got = new ArrayList<>();
        for (KafkaMessage m : splitter.split(batch)) {
          ExportTraceServiceRequest r = decode(m.value());
          List<Span> in = spans(r);
          assertThat(in).as("no empty message").isNotEmpty();
          if (mode == 1) {
            String key = new String(m.key());
            in.forEach(s -> assertThat(HexFormat.of().formatHex(s.getTraceId().toByteArray()))
                .isEqualTo(key));
          }
          got.addAll(in);
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
      }
    }
  }

  private static ExportTraceServiceRequest decode(byte[] value) {
    try {
      return ExportTraceServiceRequest.parseFrom(value);
    } catch (Exception e) {
      return OtlpEncoding.OTLP_JSON.decode(Signal.TRACES, value);
    }
  }

  private static List<Span> spans(ExportTraceServiceRequest r) {
    List<Span> out = new ArrayList<>();
    r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
        ss -> out.addAll(ss.getSpansList())));
    return out;
  }

  private static ExportTraceServiceRequest randomBatch(Random rnd) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    List<ByteString> traces = new ArrayList<>();
    for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
      byte[] id = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(20) : 16];
      rnd.nextBytes(id);
      traces.add(ByteString.copyFrom(id));
    }
    for (int r = 0; r < rnd.nextInt(4); r++) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(
          rnd.nextBoolean() ? TestData.resource("svc" + rnd.nextInt(3))
              : TestData.resource("x").toBuilder()
                  .addAttributes(TestData.str("topic", rnd.nextBoolean() ? "" : "t" + rnd.nextInt(3)))
                  .build());
      for (int s = 0; s < rnd.nextInt(3); s++) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("s" + s));
        for (int k = 0; k < rnd.nextInt(6); k++) {
          byte[] spanId = new byte[8];
          rnd.nextBytes(spanId);
          ss.addSpans(Span.newBuilder().setTraceId(traces.get(rnd.nextInt(traces.size())))
              .setSpanId(ByteString.copyFrom(spanId)).setName("op" + k));
        }
        rs.addScopeSpans(ss);
      }
      b.addResourceSpans(rs);
    }
    return b.build();
  }
}
