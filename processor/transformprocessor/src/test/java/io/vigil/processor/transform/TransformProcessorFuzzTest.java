package io.vigil.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random records with attribute and body values of every type through the README's statements
 * (error_mode ignore): the processor never throws, keeps every record in place (same count and
 * order), and never leaves more attributes than the statements allow.
 */
class TransformProcessorFuzzTest {
  private static final String[] KEYS = {"service.name", "process.command_line", "cloud.region", "http.route",
      "path", "other", "n"};

  @Test
  void randomSpansKeepTheirPlaceAndOnlyTheKeptKeys() {
    Random r = new Random(13);
    var run = new Run<>("transform/basic", Signal.TRACES);
    for (int round = 0; round < 300; round++) {
      ScopeSpans.Builder ss = ScopeSpans.newBuilder();
      int n = r.nextInt(6);
      for (int i = 0; i < n; i++) {
        Span.Builder s = Span.newBuilder().setName("s" + i);
        for (String k : KEYS) {
          if (r.nextBoolean()) {
            s.addAttributes(KeyValue.newBuilder().setKey(k).setValue(randomValue(r, 2)));
          }
        }
        ss.addSpans(s);
      }
      ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build();
      ExportTraceServiceRequest out = run.apply(in);
      assertThat(Signal.TRACES.itemCount(out)).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        Span s = out.getResourceSpans(0).getScopeSpans(0).getSpans(i);
        assertThat(s.getName()).isEqualTo("s" + i);
        assertThat(Run.keys(s.getAttributesList()))
            .isSubsetOf("service.name", "service.namespace", "cloud.region", "process.command_line");
        s.getAttributesList().stream().filter(kv -> kv.getValue().hasStringValue())
            .forEach(kv -> assertThat(kv.getValue().getStringValue().length()).isLessThanOrEqualTo(4096));
      }
    }
  }

  @Test
  void randomLogBodiesOfEveryTypeNeverBreakTheStatements() {
    Random r = new Random(17);
    var basic = new Run<>("transform/basic", Signal.LOGS);
    var advanced = new Run<>("transform/advanced", Signal.LOGS);
    for (int round = 0; round < 300; round++) {
      ScopeLogs.Builder sl = ScopeLogs.newBuilder();
      int n = 1 + r.nextInt(5);
      for (int i = 0; i < n; i++) {
        LogRecord.Builder l = LogRecord.newBuilder().setBody(randomValue(r, 2)).setSeverityText("s" + i);
        for (String k : KEYS) {
          if (r.nextInt(3) == 0) {
            l.addAttributes(KeyValue.newBuilder().setKey(k).setValue(randomValue(r, 1)));
          }
        }
        sl.addLogRecords(l);
      }
      ExportLogsServiceRequest in = ExportLogsServiceRequest.newBuilder()
          .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(sl)).build();
      for (var run : java.util.List.of(basic, advanced)) {
        ExportLogsServiceRequest out = run.apply(in);
        assertThat(Signal.LOGS.itemCount(out)).isEqualTo(n);
      }
    }
  }

  private static AnyValue randomValue(Random r, int depth) {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (r.nextInt(depth > 0 ? 7 : 5)) {
      case 0 -> b.setStringValue(r.nextBoolean() ? "request failed" : "run --password=x /account/1234 /user/1/list/2");
      case 1 -> b.setIntValue(r.nextLong());
      case 2 -> b.setDoubleValue(r.nextDouble());
      case 3 -> b.setBoolValue(r.nextBoolean());
      case 4 -> { }
      case 5 -> b.setArrayValue(ArrayValue.newBuilder().addValues(randomValue(r, depth - 1)));
      default -> b.setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder()
          .setKey(r.nextBoolean() ? "object" : "x").setValue(randomValue(r, depth - 1))));
    }
    return b.build();
  }
}
