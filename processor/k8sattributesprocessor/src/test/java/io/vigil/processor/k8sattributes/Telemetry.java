package io.vigil.processor.k8sattributes;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Requests of each signal with given resource attributes, and the processor built from YAML. */
final class Telemetry {
  private Telemetry() {}

  static Resource resource(String... kvs) {
    Resource.Builder r = Resource.newBuilder();
    for (int i = 0; i < kvs.length; i += 2) {
      r.addAttributes(KeyValue.newBuilder().setKey(kvs[i])
          .setValue(AnyValue.newBuilder().setStringValue(kvs[i + 1])));
    }
    return r.build();
  }

  static ExportTraceServiceRequest spans(Resource... resources) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (Resource r : resources) {
      b.addResourceSpans(ResourceSpans.newBuilder().setResource(r).addScopeSpans(
          ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("GET /cart")
              .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                  13, 14, 15, 16}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))));
    }
    return b.build();
  }

  static ExportLogsServiceRequest logs(Resource r) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(r).addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setBody(AnyValue.newBuilder().setStringValue("cart updated"))))).build();
  }

  static ExportMetricsServiceRequest metrics(Resource r) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics
        .newBuilder().setResource(r).addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(
            Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(3)))))).build();
  }

  /** The resource attributes of each resource of a request, as string maps in order. */
  static List<Map<String, String>> resources(Message request) {
    List<Resource> rs;
    if (request instanceof ExportTraceServiceRequest t) {
      rs = t.getResourceSpansList().stream().map(ResourceSpans::getResource).toList();
    } else if (request instanceof ExportLogsServiceRequest l) {
      rs = l.getResourceLogsList().stream().map(ResourceLogs::getResource).toList();
    } else {
      rs = ((ExportMetricsServiceRequest) request).getResourceMetricsList().stream()
          .map(ResourceMetrics::getResource).toList();
    }
    return rs.stream().map(r -> {
      Map<String, String> m = new LinkedHashMap<>();
      r.getAttributesList().forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
      return m;
    }).toList();
  }

  /** Loads {@code processors: {ID: YAML}} through the gateway's config loader. */
  static K8sAttributesConfig config(String id, String processorYaml) {
    String gateway = "receivers: {stand_in: }\n"
        + "processors:\n  " + id + ":\n" + processorYaml.indent(4)
        + "exporters: {capture: }\n"
        + "service:\n  pipelines:\n    traces: {receivers: [stand_in], processors: [" + id
        + "], exporters: [capture]}\n";
    GatewayConfig c = new ConfigLoader(ConfigTestdata.registry()).load(gateway);
    return (K8sAttributesConfig) c.component(ComponentKind.PROCESSOR, ComponentId.parse(id))
        .config();
  }

  static <T extends Message> Processor<T> create(K8sAttributesProcessorFactory f,
      K8sAttributesConfig c, Signal<T> signal, RecordingConsumer<T> out) {
    return f.create(new ComponentSettings(ComponentKind.PROCESSOR,
        ComponentId.parse(f.type()), new GatewayTelemetry()), c, signal, out);
  }

  static Map<String, String> only(List<Map<String, String>> resources) {
    if (resources.size() != 1) {
      throw new AssertionError("expected one resource, got " + resources);
    }
    return resources.get(0);
  }

  static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new LinkedHashMap<>(a);
    m.putAll(b);
    return m;
  }
}
