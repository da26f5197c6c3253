package io.vigil.processor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Collector README's example config on each signal, and the bad configs' messages. */
class ResourceProcessorTest {

  private static <T extends Message> T run(Signal<T> signal, T request) {
    GatewayConfig c = ConfigTestdata.load("collector-example.yaml");
    ResourceConfig cfg = (ResourceConfig) c.component(ComponentKind.PROCESSOR, ComponentId.of("resource")).config();
    RecordingConsumer<T> out = new RecordingConsumer<>();
    new ResourceProcessorFactory()
        .create(new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("resource"),
            new GatewayTelemetry()), cfg, signal, out)
        .consume(request).join();
    return out.batches().get(0);
  }

  private static Resource resource(String... kv) {
    Resource.Builder r = Resource.newBuilder();
    for (int i = 0; i < kv.length; i += 2) {
      r.addAttributes(KeyValue.newBuilder().setKey(kv[i])
          .setValue(AnyValue.newBuilder().setStringValue(kv[i + 1])));
    }
    return r.build();
  }

  private static Map<String, String> plain(Resource r) {
    Map<String, String> m = new LinkedHashMap<>();
    r.getAttributesList().forEach(kv -> m.put(kv.getKey(), kv.getValue().getStringValue()));
    return m;
  }

  @Test
  void theReadmeExampleOnSpans() {
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(
            "service.name", "checkout", "k8s-cluster", "prod-eu", "redundant-attribute", "x")))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(
            "service.name", "cart", "cloud.availability_zone", "zone-9", "k8s.cluster.name", "kept")))
        .build();
    ExportTraceServiceRequest out = run(Signal.TRACES, in);
    assertThat(plain(out.getResourceSpans(0).getResource())).containsExactly(
        Map.entry("service.name", "checkout"), Map.entry("k8s-cluster", "prod-eu"),
        Map.entry("cloud.availability_zone", "zone-1"), Map.entry("k8s.cluster.name", "prod-eu"));
    assertThat(plain(out.getResourceSpans(1).getResource())).containsExactly(
        Map.entry("service.name", "cart"), Map.entry("cloud.availability_zone", "zone-1"),
        Map.entry("k8s.cluster.name", "kept"));
  }

  @Test
  void logsAndMetricsToo() {
    ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource("redundant-attribute", "x"))).build();
    assertThat(plain(run(Signal.LOGS, logs).getResourceLogs(0).getResource()))
        .containsExactly(Map.entry("cloud.availability_zone", "zone-1"));
    ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource())).build();
    assertThat(plain(run(Signal.METRICS, metrics).getResourceMetrics(0).getResource()))
        .containsExactly(Map.entry("cloud.availability_zone", "zone-1"));
  }

  @Test
  void resourcesAlreadyRightAreNotCopied() {
    ExportTraceServiceRequest in = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(
            "cloud.availability_zone", "zone-1")))
        .build();
    assertThat(run(Signal.TRACES, in)).isSameAs(in);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-attributes.yaml | processors::resource::attributes: required: at least one action",
    "bad-action.yaml             | processors::resource::attributes::0::action: unknown action \"set\"",
    "bad-unknown-key.yaml        | processors::resource::actions: unknown key",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
