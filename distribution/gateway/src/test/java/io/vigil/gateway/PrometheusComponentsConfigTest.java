package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spanmetrics connector wired between pipelines: errors carry the full key path. */
class PrometheusComponentsConfigTest {

  private static String config(String connector, String tracesExporters) {
    return String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '127.0.0.1:0'}}}}",
        "connectors:",
        "  spanmetrics: " + connector,
        "exporters:",
        "  prometheus: {endpoint: '127.0.0.1:0'}",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: " + tracesExporters + "}",
        "    metrics: {receivers: [spanmetrics], exporters: [prometheus]}");
  }

  @org.junit.jupiter.api.Test
  void spanmetricsBetweenTracesAndMetricsLoads() {
    assertThatCode(() -> new ConfigLoader(ComponentRegistry.load())
        .load(config("{}", "[spanmetrics]"))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{histogram: {unit: us}}                      | [spanmetrics] | connectors::spanmetrics::histogram::unit: unsupported unit",
    "{histogram: {explicit: {buckets: [1s, 1ms]}}} | [spanmetrics] | connectors::spanmetrics::histogram::explicit::buckets::1: must be larger",
    "{dimensions: [{name: status.code}]}          | [spanmetrics] | connectors::spanmetrics::dimensions::0::name: \"status.code\" is already",
    "{metrics_flush_interval: soon}               | [spanmetrics] | connectors::spanmetrics::metrics_flush_interval: cannot use",
    "{exemplar: {enabled: true}}                  | [spanmetrics] | connectors::spanmetrics::exemplar: unknown key",
    "{}                                           | [prometheus]  | service::pipelines::traces::exporters: exporter \"prometheus\" does not support traces",
  })
  void badConfigNamesTheKey(String connector, String tracesExporters, String message) {
    assertThatThrownBy(() -> new ConfigLoader(ComponentRegistry.load())
        .load(config(connector, tracesExporters)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
