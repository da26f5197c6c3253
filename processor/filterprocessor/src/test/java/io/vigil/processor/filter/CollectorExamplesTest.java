package io.vigil.processor.filter;

import static io.vigil.processor.filter.Requests.kv;
import static io.vigil.processor.filter.Requests.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filterprocessor README's example ({@code filter/ottl} in collector-examples.yaml) on
 * records each of its conditions is about, with the outcome the README documents: a record
 * matching any condition is dropped, the rest go on unchanged.
 *
 * <pre>
 *     traces:
 *       span:
 *         - 'attributes["container.name"] == "app_container_1"'
 *         - 'resource.attributes["host.name"] == "localhost"'
 *         - 'name == "app_3"'
 *       spanevent:
 *         - 'attributes["grpc"] == true'
 *         - 'IsMatch(name, ".*grpc.*")'
 * </pre>
 */
class CollectorExamplesTest {

  @Test
  void spansMatchingAnyConditionAreDroppedWithTheirEventsOthersLoseMatchingEvents() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.TRACES);
    Span keep = Span.newBuilder().setName("checkout")
        .addEvents(Span.Event.newBuilder().setName("cache miss"))
        .addEvents(Span.Event.newBuilder().setName("call").addAttributes(kv("grpc", true)))
        .addEvents(Span.Event.newBuilder().setName("grpc.client.send"))
        .addEvents(Span.Event.newBuilder().setName("call").addAttributes(kv("grpc", "true")))
        .build();
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("host.name", "web-1"))
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(Span.newBuilder().setName("a").addAttributes(kv("container.name", "app_container_1")))
                .addSpans(keep)
                .addSpans(Span.newBuilder().setName("app_3"))
                .addSpans(Span.newBuilder().setName("b").addAttributes(kv("container.name", "app_container_2")))))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("host.name", "localhost"))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("local"))))
        .build();
    run.processor.consume(in).join();

    ExportTraceServiceRequest out = run.out.batches().get(0);
    assertThat(out.getResourceSpansList()).hasSize(1);
    List<Span> spans = out.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(spans).extracting(Span::getName).containsExactly("checkout", "b");
    // grpc == true (a bool) and a name containing grpc go; the string "true" is not the bool true.
    assertThat(spans.get(0).getEventsList()).extracting(e -> e.getName() + e.getAttributesList())
        .containsExactly("cache miss[]", "call" + List.of(kv("grpc", "true")));
    assertThat(spans.get(1)).isEqualTo(in.getResourceSpans(0).getScopeSpans(0).getSpans(3));
    assertThat(run.dropped()).isEqualTo(3);
  }

  @Test
  void metricsByNameAndResourceOrTypeGoAndSoDoMetricsWhosePointsAllGo() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.METRICS);
    Metric myMetric = gauge("my.metric", 2);
    Metric other = gauge("other", 1);
    Metric histogram = Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
        .addDataPoints(HistogramDataPoint.newBuilder().setCount(3))).build();
    Metric summary = Metric.newBuilder().setName("gc").setSummary(Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder().setCount(1))
        .addDataPoints(SummaryDataPoint.newBuilder().setCount(2))).build();
    ExportMetricsServiceRequest in = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("my_label", "abc123"))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(myMetric).addMetrics(other)
                .addMetrics(histogram).addMetrics(summary)))
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("my_label", "xyz"))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(myMetric)))
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("service.name", "my_service_name"))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(other)))
        .build();
    run.processor.consume(in).join();

    ExportMetricsServiceRequest out = run.out.batches().get(0);
    assertThat(out.getResourceMetricsList()).extracting(rm -> rm.getScopeMetrics(0).getMetricsList()
        .stream().map(Metric::getName).toList())
        .containsExactly(List.of("other"), List.of("my.metric"));
    // my.metric (2 points) + histogram (1) + summary (2) + my_service_name's gauge (1).
    assertThat(run.dropped()).isEqualTo(6);
  }

  @Test
  void logsWithAPasswordInTheBodyOrBelowWarnAreDropped() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.LOGS);
    ExportLogsServiceRequest in = logs(
        log("login ok for bob", SeverityNumber.SEVERITY_NUMBER_WARN),
        log("user typed password=hunter2", SeverityNumber.SEVERITY_NUMBER_ERROR),
        log("cache warmed", SeverityNumber.SEVERITY_NUMBER_INFO),
        log("disk full", SeverityNumber.SEVERITY_NUMBER_FATAL));
    run.processor.consume(in).join();
    assertThat(bodies(run.out.batches().get(0))).containsExactly("login ok for bob", "disk full");
    assertThat(run.dropped()).isEqualTo(2);
  }

  @Test
  void aBatchWithNothingLeftIsNotPassedOn() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.LOGS);
    run.processor.consume(logs(log("debug", SeverityNumber.SEVERITY_NUMBER_DEBUG))).join();
    assertThat(run.out.batches()).isEmpty();
    assertThat(run.dropped()).isEqualTo(1);
  }

  @Test
  void aBatchNothingMatchesIsHandedOnAsTheSameObject() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/healthz", Signal.TRACES);
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setName("GET /orders")))).build();
    run.processor.consume(in).join();
    assertThat(run.out.batches().get(0)).isSameAs(in);
  }

  @Test
  void theDroppedCountIsExportedAsTheCollectorsMetric() {
    var run = new Requests.Run<>("collector-examples.yaml", "filter/ottl", Signal.LOGS);
    run.processor.consume(logs(log("a", SeverityNumber.SEVERITY_NUMBER_DEBUG),
        log("b", SeverityNumber.SEVERITY_NUMBER_ERROR))).join();
    double v = run.telemetry.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("otelcol_processor_filter_logs_filtered"))
        .flatMap(s -> s.getDataPoints().stream())
        .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p)
            .getValue())
        .sum();
    assertThat(v).isEqualTo(1.0);
  }

  static Metric gauge(String name, int points) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i));
    }
    return Metric.newBuilder().setName(name).setGauge(g).build();
  }

  static LogRecord log(String body, SeverityNumber severity) {
    return LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue(body)).setSeverityNumber(severity)
        .build();
  }

  static ExportLogsServiceRequest logs(LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))).build();
  }

  static List<String> bodies(ExportLogsServiceRequest r) {
    return r.getResourceLogsList().stream().flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream()).map(l -> l.getBody().getStringValue()).toList();
  }
}
