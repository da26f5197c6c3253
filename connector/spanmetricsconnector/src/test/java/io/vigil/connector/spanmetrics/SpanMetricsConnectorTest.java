package io.vigil.connector.spanmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpanMetricsConnectorTest {

  private static final long MS = 1_000_000L;
  private final List<ExportMetricsServiceRequest> emitted = new ArrayList<>();
  private final SpanMetricsConnectorFactory factory = new SpanMetricsConnectorFactory();

  private SpanMetricsConnector connector(SpanMetricsConfig config) {
    factory.validate(config);
    return new SpanMetricsConnector(new ComponentSettings(ComponentKind.CONNECTOR,
        ComponentId.of("spanmetrics"), new GatewayTelemetry()), config,
        batch -> {
          emitted.add(batch);
          return CompletableFuture.completedFuture(null);
        }, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  }

  private static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static Span span(String name, int id, long durationMs, Status.StatusCode status,
      KeyValue... attributes) {
    long start = 1_700_000_000_000L * MS;
    return Span.newBuilder().setName(name).setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) id}))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) id}))
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + durationMs * MS)
        .setStatus(Status.newBuilder().setCode(status))
        .addAllAttributes(List.of(attributes)).build();
  }

  private static ExportTraceServiceRequest traces(Span... spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "checkout")))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey,
        kv -> kv.getValue().getStringValue()));
  }

  private Metric metric(ExportMetricsServiceRequest r, String name) {
    return r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
        .filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void countsCallsAndDurationsPerServiceSpanKindAndStatusWithExemplars() {
    SpanMetricsConfig config = new SpanMetricsConfig();
    config.histogram.explicit.buckets = List.of(Duration.ofMillis(10), Duration.ofMillis(100));
    SpanMetricsConnector c = connector(config);
    c.consume(traces(span("GET /a", 1, 5, Status.StatusCode.STATUS_CODE_UNSET),
        span("GET /a", 2, 50, Status.StatusCode.STATUS_CODE_UNSET),
        span("GET /a", 3, 500, Status.StatusCode.STATUS_CODE_ERROR))).join();
    c.flush();

    assertThat(emitted).hasSize(1);
    ExportMetricsServiceRequest out = emitted.get(0);
    assertThat(attrs(out.getResourceMetrics(0).getResource().getAttributesList()))
        .containsEntry("service.name", "checkout");
    Metric calls = metric(out, "traces.span.metrics.calls");
    assertThat(calls.getSum().getIsMonotonic()).isTrue();
    assertThat(calls.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    Map<String, Long> byStatus = calls.getSum().getDataPointsList().stream().collect(
        Collectors.toMap(p -> attrs(p.getAttributesList()).get("status.code"),
            NumberDataPoint::getAsInt));
    assertThat(byStatus).containsEntry("STATUS_CODE_UNSET", 2L).containsEntry("STATUS_CODE_ERROR", 1L);
    NumberDataPoint ok = calls.getSum().getDataPointsList().stream()
        .filter(p -> attrs(p.getAttributesList()).get("status.code").equals("STATUS_CODE_UNSET"))
        .findFirst().orElseThrow();
    assertThat(attrs(ok.getAttributesList())).containsEntry("service.name", "checkout")
        .containsEntry("span.name", "GET /a").containsEntry("span.kind", "SPAN_KIND_SERVER");

    Metric duration = metric(out, "traces.span.metrics.duration");
    assertThat(duration.getUnit()).isEqualTo("ms");
    HistogramDataPoint okHist = duration.getHistogram().getDataPointsList().stream()
        .filter(p -> attrs(p.getAttributesList()).get("status.code").equals("STATUS_CODE_UNSET"))
        .findFirst().orElseThrow();
    assertThat(okHist.getExplicitBoundsList()).containsExactly(10.0, 100.0);
    assertThat(okHist.getBucketCountsList()).containsExactly(1L, 1L, 0L);
    assertThat(okHist.getSum()).isEqualTo(55.0);
    assertThat(okHist.getExemplarsList()).hasSize(2).allSatisfy(e -> {
      assertThat(e.getTraceId().size()).isEqualTo(16);
      assertThat(e.getSpanId().size()).isEqualTo(8);
    });
    assertThat(okHist.getExemplarsList()).extracting(e -> e.getAsDouble()).containsExactly(5.0, 50.0);
  }

  @Test
  void cumulativeKeepsCountingAndSendsExemplarsOnce() {
    SpanMetricsConnector c = connector(new SpanMetricsConfig());
    c.consume(traces(span("op", 1, 1, Status.StatusCode.STATUS_CODE_OK))).join();
    c.flush();
    c.consume(traces(span("op", 2, 1, Status.StatusCode.STATUS_CODE_OK))).join();
    c.flush();
    c.flush();
    NumberDataPoint last = metric(emitted.get(2), "traces.span.metrics.calls").getSum().getDataPoints(0);
    assertThat(last.getAsInt()).isEqualTo(2);
    assertThat(last.getExemplarsList()).as("exemplars go out with the flush after their span").isEmpty();
  }

  @Test
  void deltaTemporalityResetsAfterEachFlushAndSkipsIdleSeries() {
    SpanMetricsConfig config = new SpanMetricsConfig();
    config.aggregationTemporality = "AGGREGATION_TEMPORALITY_DELTA";
    SpanMetricsConnector c = connector(config);
    c.consume(traces(span("op", 1, 1, Status.StatusCode.STATUS_CODE_OK),
        span("op", 2, 1, Status.StatusCode.STATUS_CODE_OK))).join();
    c.flush();
    c.consume(traces(span("op", 3, 1, Status.StatusCode.STATUS_CODE_OK))).join();
    c.flush();
    c.flush();
    assertThat(emitted).hasSize(2);
    assertThat(metric(emitted.get(1), "traces.span.metrics.calls").getSum().getDataPoints(0)
        .getAsInt()).isEqualTo(1);
  }

  @Test
  void dimensionsComeFromSpanThenResourceThenDefault() {
    SpanMetricsConfig config = new SpanMetricsConfig();
    SpanMetricsConfig.Dimension route = new SpanMetricsConfig.Dimension();
    route.name = "http.route";
    SpanMetricsConfig.Dimension region = new SpanMetricsConfig.Dimension();
    region.name = "cloud.region";
    region.defaultValue = "unknown";
    config.dimensions = List.of(route, region);
    SpanMetricsConnector c = connector(config);
    c.consume(traces(span("op", 1, 1, Status.StatusCode.STATUS_CODE_OK,
        attr("http.route", "/orders/{id}")))).join();
    c.flush();
    Map<String, String> a = attrs(metric(emitted.get(0), "traces.span.metrics.calls").getSum()
        .getDataPoints(0).getAttributesList());
    assertThat(a).containsEntry("http.route", "/orders/{id}").containsEntry("cloud.region", "unknown");
  }

  @Test
  void configErrorsNameTheKey() {
    SpanMetricsConfig unit = new SpanMetricsConfig();
    unit.histogram.unit = "us";
    assertThatThrownBy(() -> factory.validate(unit)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("histogram::unit:");
    SpanMetricsConfig order = new SpanMetricsConfig();
    order.histogram.explicit.buckets = List.of(Duration.ofMillis(10), Duration.ofMillis(5));
    assertThatThrownBy(() -> factory.validate(order))
        .hasMessageStartingWith("histogram::explicit::buckets::1:");
    SpanMetricsConfig dim = new SpanMetricsConfig();
    SpanMetricsConfig.Dimension d = new SpanMetricsConfig.Dimension();
    d.name = "span.name";
    dim.dimensions = List.of(d);
    assertThatThrownBy(() -> factory.validate(dim))
        .hasMessageStartingWith("dimensions::0::name:");
    SpanMetricsConfig temporality = new SpanMetricsConfig();
    temporality.aggregationTemporality = "delta";
    assertThatThrownBy(() -> factory.validate(temporality))
        .hasMessageStartingWith("aggregation_temporality:");
  }
}
