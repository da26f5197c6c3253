package io.vigil.processor.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random requests through each of the Collector's example configs: the processor never throws,
 * keeps every span in place (same count, names and order), touches only selected spans, and
 * hands back the request object itself when no span changed.
 */
class AttributesProcessorFuzzTest {
  private static final String[] IDS = {"attributes/excludemulti", "attributes/selectiveprocessing",
      "attributes/complex", "attributes/example", "attributes/regexp", "attributes/hash",
      "attributes/convert", "attributes/includeservices"};
  private static final String[] SERVICES = {"svcA", "svcB", "svcC", "auth-api", "login"};
  private static final String[] KEYS = {"env", "test_request", "credit_card", "redact_trace",
      "operation", "svc.operation", "password", "token", "user.email", "http.status_code"};

  @Test
  void randomSpansThroughEveryExample() {
    Random r = new Random(3);
    for (int c = 0; c < 300; c++) {
      List<Map.Entry<String, Span>> spans = new ArrayList<>();
      int n = r.nextInt(6);
      for (int i = 0; i < n; i++) {
        List<Object> attrs = new ArrayList<>();
        for (String k : KEYS) {
          if (r.nextInt(3) == 0) {
            attrs.add(k);
            attrs.add(switch (r.nextInt(4)) {
              case 0 -> "dev";
              case 1 -> (long) r.nextInt(300);
              case 2 -> r.nextBoolean();
              default -> "404";
            });
          }
        }
        spans.add(Map.entry(SERVICES[r.nextInt(SERVICES.length)],
            SpanRequests.span(r.nextBoolean() ? "login-x" : "op-" + i, attrs.toArray())));
      }
      ExportTraceServiceRequest in = SpanRequests.request(spans);
      ExportTraceServiceRequest out = CollectorExamplesTest.run(IDS[r.nextInt(IDS.length)], Signal.TRACES, in);
      assertThat(names(out)).isEqualTo(names(in));
      if (SpanRequests.attributes(out).equals(SpanRequests.attributes(in))) {
        assertThat(out).isSameAs(in);
      }
    }
  }

  private static List<String> names(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).map(Span::getName).toList();
  }
}
