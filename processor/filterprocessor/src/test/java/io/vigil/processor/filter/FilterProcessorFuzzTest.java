package io.vigil.processor.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random requests through the README example: the processor never throws, and every item is
 * either handed on unchanged, in order, or counted as dropped: nothing is lost silently and
 * nothing that matches survives.
 */
class FilterProcessorFuzzTest {
  private static final Object[] VALUES = {"app_container_1", "app_container_2", "localhost", "web", true, false,
      1, 2.5, "grpc", "x-grpc-y", "password=1", ""};
  private static final String[] NAMES = {"app_3", "checkout", "grpc.call", "", "app_3 "};

  @Test
  void randomSpansAreKeptOrCountedNeverLost() {
    Random r = new Random(11);
    for (int round = 0; round < 300; round++) {
      var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.TRACES);
      ExportTraceServiceRequest.Builder in = ExportTraceServiceRequest.newBuilder();
      int total = 0;
      for (int i = 0, n = r.nextInt(4); i < n; i++) {
        ResourceSpans.Builder rs = ResourceSpans.newBuilder()
            .setResource(Requests.resource("host.name", VALUES[r.nextInt(VALUES.length)]));
        for (int j = 0, m = r.nextInt(3); j < m; j++) {
          ScopeSpans.Builder ss = ScopeSpans.newBuilder();
          for (int k = 0, p = r.nextInt(5); k < p; k++) {
            Span.Builder s = Span.newBuilder().setName(NAMES[r.nextInt(NAMES.length)]);
            if (r.nextBoolean()) {
              s.addAttributes(Requests.kv("container.name", VALUES[r.nextInt(VALUES.length)]));
            }
            for (int e = 0, q = r.nextInt(3); e < q; e++) {
              s.addEvents(Span.Event.newBuilder().setName(NAMES[r.nextInt(NAMES.length)])
                  .addAttributes(Requests.kv("grpc", VALUES[r.nextInt(VALUES.length)])));
            }
            ss.addSpans(s);
            total++;
          }
          rs.addScopeSpans(ss);
        }
        in.addResourceSpans(rs);
      }
      ExportTraceServiceRequest request = in.build();
      run.processor.consume(request).join();
      List<Span> kept = run.out.batches().isEmpty() ? List.of() : run.out.batches().get(0).getResourceSpansList()
          .stream().flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
      assertThat(kept.size() + run.dropped()).isEqualTo(total);
      List<String> expectedNames = new ArrayList<>();
      for (ResourceSpans rs : request.getResourceSpansList()) {
        boolean localhost = rs.getResource().getAttributes(0).getValue().getStringValue().equals("localhost");
        rs.getScopeSpansList().forEach(ss -> ss.getSpansList().stream()
            .filter(s -> !localhost && !s.getName().equals("app_3") && !(s.getAttributesCount() > 0
                && s.getAttributes(0).getValue().getStringValue().equals("app_container_1")))
            .forEach(s -> expectedNames.add(s.getName())));
      }
      assertThat(kept).extracting(Span::getName).containsExactlyElementsOf(expectedNames);
      for (Span s : kept) {
        assertThat(s.getEventsList()).noneMatch(e -> e.getName().contains("grpc")
            || (e.getAttributes(0).getValue().hasBoolValue() && e.getAttributes(0).getValue().getBoolValue()));
      }
    }
  }

  @Test
  void randomLogBodiesOfEveryTypeNeverBreakTheFilter() {
    Random r = new Random(7);
    for (int round = 0; round < 300; round++) {
      var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.LOGS);
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
        Object v = VALUES[r.nextInt(VALUES.length)];
        AnyValue body = Requests.kv("b", v).getValue();
        records.add(LogRecord.newBuilder().setBody(body).setSeverityNumberValue(r.nextInt(25)).build());
      }
      ExportLogsServiceRequest in = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
          .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(records))).build();
      run.processor.consume(in).join();
      long kept = run.out.batches().isEmpty() ? 0 : Signal.LOGS.itemCount(run.out.batches().get(0));
      long expected = records.stream().filter(l -> l.getSeverityNumberValue() >= 13
          && !(l.getBody().hasStringValue() && l.getBody().getStringValue().contains("password"))
          // IsMatch reads non-string bodies as text: true, 1, 2.5 never contain "password".
      ).count();
      assertThat(kept).isEqualTo(expected);
      assertThat(kept + run.dropped()).isEqualTo(records.size());
    }
  }
}
