package io.vigil.testbed.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.vigil.testing.TelemetryPayloads;
import io.vigil.core.Signal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sink's wire-format walk agrees with protobuf's own decoding. */
class ItemWalkerTest {

  private final TelemetryPayloads payloads = new TelemetryPayloads(3);

  private static final class Seen implements ItemWalker.Visitor {
    long items;
    final List<Long> probes = new ArrayList<>();

    @Override
    public void items(int n) {
      items += n;
    }

    @Override
    public void probe(long sentNanos) {
      probes.add(sentNanos);
    }
  }

  @Test
  void countsSpansAndFindsTheProbe() throws IOException {
    ExportTraceServiceRequest.Builder b = payloads.traces(37, 1000).toBuilder();
    b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(5)
        .setName(TelemetryPayloads.PROBE).setEndTimeUnixNano(123456789L);
    ExportTraceServiceRequest r = b.addAllResourceSpans(payloads.traces(11, 1000).getResourceSpansList()).build();
    Seen seen = new Seen();
    ItemWalker.traces(r.toByteArray(), seen);
    assertThat(seen.items).isEqualTo(Signal.TRACES.itemCount(r)).isEqualTo(48);
    assertThat(seen.probes).containsExactly(123456789L);
  }

  @Test
  void countsLogRecordsAndFindsTheProbe() throws IOException {
    ExportLogsServiceRequest.Builder b = payloads.logs(20, 1000).toBuilder();
    b.getResourceLogsBuilder(0).getScopeLogsBuilder(0).getLogRecordsBuilder(19)
        .setBody(AnyValue.newBuilder().setStringValue(TelemetryPayloads.PROBE)).setTimeUnixNano(42L);
    Seen seen = new Seen();
    ItemWalker.logs(b.build().toByteArray(), seen);
    assertThat(seen.items).isEqualTo(20);
    assertThat(seen.probes).containsExactly(42L);
  }

  @Test
  void countsDataPointsOfEveryMetricKind() throws IOException {
    var r = payloads.metrics(100, 1000);
    Seen seen = new Seen();
    ItemWalker.metrics(r.toByteArray(), seen);
    assertThat(seen.items).isEqualTo(Signal.METRICS.itemCount(r)).isEqualTo(100);
    assertThat(seen.probes).isEmpty();
  }

  @Test
  void driverAndSinkAgreeOnEveryItemSent() throws Exception {
    try (OtlpSink sink = new OtlpSink();
        LoadGenerator load = new LoadGenerator("grpc", "127.0.0.1", sink.port(), 4, 64)) {
      // 2 requests a second for ~1 s at 64 items: bounded, a handful of requests.
      load.run(Duration.ofSeconds(1), 2 * load.itemsPerRequest());
      assertThat(load.requests()).isBetween(1L, 4L);
      assertThat(load.refused()).isZero();
      assertThat(sink.items()).isEqualTo(load.accepted()).isPositive();
      assertThat(sink.latencySinceLastCall().getTotalCount()).isPositive();
    }
  }
}
