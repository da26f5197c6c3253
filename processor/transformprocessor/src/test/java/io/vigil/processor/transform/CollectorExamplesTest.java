package io.vigil.processor.transform;

import static io.vigil.processor.transform.Run.keys;
import static io.vigil.processor.transform.Run.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The transformprocessor README's examples (collector-examples.yaml, each block unchanged) on
 * records their statements are about, with the outcome the README describes.
 */
class CollectorExamplesTest {

  /**
   * <pre>
   *   trace_statements:
   *     - keep_keys(span.attributes, ["service.name", "service.namespace", "cloud.region", "process.command_line"])
   *     - replace_pattern(span.attributes["process.command_line"], "password\\=[^\\s]*(\\s?)", "password=***")
   *     - limit(span.attributes, 100, [])
   *     - truncate_all(span.attributes, 4096)
   * </pre>
   */
  @Test
  void basicTraceStatementsKeepFourKeysAndMaskThePassword() {
    Span span = Span.newBuilder().setName("exec")
        .addAttributes(kv("service.name", "batch"))
        .addAttributes(kv("http.method", "GET"))
        .addAttributes(kv("process.command_line", "backup --password=s3cr3t --verbose"))
        .addAttributes(kv("cloud.region", "x".repeat(5000)))
        .addAttributes(kv("secret.token", "t"))
        .build();
    ExportTraceServiceRequest out = new Run<>("transform/basic", Signal.TRACES).apply(traces(span));
    Span s = out.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(keys(s.getAttributesList())).containsExactly("service.name", "process.command_line", "cloud.region");
    assertThat(s.getAttributes(1).getValue().getStringValue()).isEqualTo("backup --password=***--verbose");
    assertThat(s.getAttributes(2).getValue().getStringValue()).hasSize(4096);
  }

  /**
   * <pre>
   *   metric_statements:
   *     - keep_keys(resource.attributes, ["host.name"])
   *     - truncate_all(resource.attributes, 4096)
   *     - set(metric.description, "Sum") where metric.type == "Sum"
   *     - convert_sum_to_gauge() where metric.name == "system.processes.count"
   *     - convert_gauge_to_sum("cumulative", false) where metric.name == "prometheus_metric"
   * </pre>
   */
  @Test
  void basicMetricStatementsKeepHostNameAndConvertTheNamedMetrics() {
    Metric processes = Metric.newBuilder().setName("system.processes.count")
        .setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(12))).build();
    Metric prom = Metric.newBuilder().setName("prometheus_metric")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1.5))).build();
    Metric other = Metric.newBuilder().setName("other")
        .setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1))).build();
    ExportMetricsServiceRequest in = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("host.name", "web-1")).addAttributes(kv("pod", "p")))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(processes).addMetrics(prom).addMetrics(other)))
        .build();
    ExportMetricsServiceRequest out = new Run<>("transform/basic", Signal.METRICS).apply(in);
    ResourceMetrics rm = out.getResourceMetrics(0);
    assertThat(keys(rm.getResource().getAttributesList())).containsExactly("host.name");
    List<Metric> ms = rm.getScopeMetrics(0).getMetricsList();
    assertThat(ms.get(0).hasGauge()).isTrue();
    assertThat(ms.get(0).getGauge().getDataPoints(0).getAsInt()).isEqualTo(12);
    assertThat(ms.get(1).hasSum()).isTrue();
    assertThat(ms.get(1).getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(ms.get(1).getSum().getIsMonotonic()).isFalse();
    // metric.type is an int (METRIC_DATA_TYPE_SUM), so comparing it with the string "Sum" is
    // false, as in the Collector: the description stays empty.
    assertThat(ms.get(2).getDescription()).isEmpty();
    assertThat(ms.get(2).hasSum()).isTrue();
  }

  /**
   * <pre>
   *   log_statements:
   *     - set(log.severity_text, "FAIL") where log.body == "request failed"
   *     - replace_all_matches(log.attributes, "/user/*&#47;list/*", "/user/{userId}/list/{listId}")
   *     - replace_all_patterns(log.attributes, "value", "/account/\\d{4}", "/account/{accountId}")
   *     - set(log.body, log.attributes["http.route"])
   * </pre>
   */
  @Test
  void basicLogStatementsRunInOrder() {
    LogRecord failed = LogRecord.newBuilder().setBody(str("request failed"))
        .addAttributes(kv("http.route", "/user/42/list/7"))
        .addAttributes(kv("path", "/account/1234/orders")).build();
    LogRecord ok = LogRecord.newBuilder().setBody(str("request ok")).setSeverityText("INFO").build();
    ExportLogsServiceRequest out = new Run<>("transform/basic", Signal.LOGS).apply(logs(failed, ok));
    List<LogRecord> records = out.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(records.get(0).getSeverityText()).isEqualTo("FAIL");
    assertThat(records.get(0).getAttributes(0).getValue().getStringValue()).isEqualTo("/user/{userId}/list/{listId}");
    assertThat(records.get(0).getAttributes(1).getValue().getStringValue()).isEqualTo("/account/{accountId}/orders");
    assertThat(records.get(0).getBody().getStringValue()).isEqualTo("/user/{userId}/list/{listId}");
    assertThat(records.get(1).getSeverityText()).isEqualTo("INFO");
    // set with a nil value (no http.route) leaves the body as it is.
    assertThat(records.get(1).getBody().getStringValue()).isEqualTo("request ok");
  }

  @Test
  void advancedGroupsRunOnlyWhereAConditionHolds() {
    Metric sum = Metric.newBuilder().setName("s").setSum(Sum.newBuilder()).build();
    Metric gauge = Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()).build();
    ExportMetricsServiceRequest m = new Run<>("transform/advanced", Signal.METRICS).apply(
        ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(sum).addMetrics(gauge))).build());
    assertThat(m.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()).extracting(Metric::getDescription)
        .containsExactly("Sum", "");

    AnyValue objectBody = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("object", "x"))).build();
    LogRecord map = LogRecord.newBuilder().setBody(objectBody).addAttributes(kv("http.route", "/a")).build();
    LogRecord text = LogRecord.newBuilder().setBody(str("plain")).addAttributes(kv("http.route", "/b")).build();
    ExportLogsServiceRequest l = new Run<>("transform/advanced", Signal.LOGS).apply(logs(map, text));
    assertThat(l.getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
        .extracting(r -> r.getBody().getStringValue()).containsExactly("/a", "plain");
  }

  @Test
  void contextInferenceRunsOnDataPoints() {
    Metric m = Metric.newBuilder().setName("m").setGauge(Gauge.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().addAttributes(kv("test", "fail")))
        .addDataPoints(NumberDataPoint.newBuilder().addAttributes(kv("test", "pass")))).build();
    ExportMetricsServiceRequest out = new Run<>("transform/inferred_datapoint", Signal.METRICS).apply(metrics(m));
    assertThat(out.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getDescription()).isEqualTo("test passed");
  }

  @Test
  void separateGroupsConvertTheMetricAndLimitItsPoints() {
    Metric m = Metric.newBuilder().setName("system.processes.count").setSum(Sum.newBuilder()
        .addDataPoints(NumberDataPoint.newBuilder().addAttributes(kv("a", 1)).addAttributes(kv("host.name", "h")))).build();
    ExportMetricsServiceRequest out = new Run<>("transform/separate_groups", Signal.METRICS).apply(metrics(m));
    Metric result = out.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertThat(result.hasGauge()).isTrue();
    assertThat(keys(result.getGauge().getDataPoints(0).getAttributesList())).containsExactly("a", "host.name");
  }

  @Test
  void explicitContextsTakeUnprefixedPaths() {
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("cloud.region", "eu-1")).addAttributes(kv("secret", "s")))
        .addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setName("a").addAttributes(kv("http.status_code", 503)))
            .addSpans(Span.newBuilder().setName("b").addAttributes(kv("http.status_code", 200))))).build();
    ExportTraceServiceRequest out = new Run<>("transform/explicit_context", Signal.TRACES).apply(in);
    ResourceSpans rs = out.getResourceSpans(0);
    assertThat(keys(rs.getResource().getAttributesList())).containsExactly("cloud.region");
    assertThat(rs.getScopeSpans(0).getSpansList()).extracting(s -> s.getStatus().getCode())
        .containsExactly(Status.StatusCode.STATUS_CODE_ERROR, Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(rs.getScopeSpans(0).getSpans(1).getAttributesList()).contains(kv("region", "eu-1"));
  }

  @Test
  void aRequestNoStatementChangesIsHandedOnAsTheSameObject() {
    LogRecord r = LogRecord.newBuilder().setBody(str("fine")).build();
    ExportLogsServiceRequest in = logs(r);
    assertThat(new Run<>("transform/advanced", Signal.LOGS).apply(in)).isSameAs(in);
  }

  @Test
  void propagateRefusesTheBatchWhenAStatementFails() {
    var run = new Run<>("transform/propagate", Signal.LOGS);
    LogRecord intBody = LogRecord.newBuilder().setBody(AnyValue.newBuilder().setIntValue(7)).build();
    assertThatThrownBy(() -> run.processor.consume(logs(intBody)).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(ConsumeException.class).hasMessageContaining("Substring");
    assertThat(run.out.batches()).isEmpty();
    LogRecord text = LogRecord.newBuilder().setBody(str("abcdef")).build();
    assertThat(run.apply(logs(text)).getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getAttributesList())
        .containsExactly(kv("n", "abc"));
  }

  @Test
  void ignoreSkipsTheFailingStatementAndRunsTheNext() {
    // transform/basic runs with error_mode ignore; its replace_all_patterns on a map attribute
    // value leaves it, and the next statements still run.
    LogRecord r = LogRecord.newBuilder().setBody(str("request failed"))
        .addAttributes(kv("nested", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("k", "/account/1234"))).build())).build();
    ExportLogsServiceRequest out = new Run<>("transform/basic", Signal.LOGS).apply(logs(r));
    assertThat(out.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSeverityText()).isEqualTo("FAIL");
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static ExportTraceServiceRequest traces(Span... spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
  }

  static ExportMetricsServiceRequest metrics(Metric... ms) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(ms)))).build();
  }

  static ExportLogsServiceRequest logs(LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))).build();
  }
}
