package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vigil.testing.FreePort;
import io.vigil.testing.PrometheusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry SDK sends spans and metrics to a gateway whose spanmetrics connector turns
 * the spans into RED metrics; a real Prometheus scrapes the gateway's prometheus exporter and
 * also receives the same metrics through prometheusremotewrite. Prometheus's own HTTP API must
 * then return the expected values and exemplars naming the spans that were sent.
 */
class PrometheusEndToEndTest {

  private static final String CALLS = "traces_span_metrics_calls_total";
  private static final String DURATION = "traces_span_metrics_duration_milliseconds";

  @TempDir
  Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private PrometheusServer prometheus;
  private String otlp;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(PrometheusServer.binary() != null,
        "no prometheus binary on PATH: install the Debian package (apt-get install -y"
            + " prometheus; .ci/run does) to run the end-to-end test against a real Prometheus");
    scrape = FreePort.endpoint();
    otlp = FreePort.endpoint();
    prometheus = PrometheusServer.start(dir, List.of(scrape));
    closeables.add(prometheus);
    closeables.add(0, Gateway.start(String.join("\n",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + otlp + "'}}}",
        "connectors:",
        "  spanmetrics:",
        "    metrics_flush_interval: 200ms",
        "    histogram: {explicit: {buckets: [10ms, 100ms, 1s]}}",
        "exporters:",
        "  prometheus: {endpoint: '" + scrape + "'}",
        "  prometheusremotewrite:",
        "    endpoint: " + prometheus.remoteWriteUrl(),
        "    namespace: rw",
        // target_info is scraped from the same gateway; a second copy would be out of order.
        "    target_info: {enabled: false}",
        "    retry_on_failure: {initial_interval: 100ms, max_interval: 500ms}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines:",
        "    traces: {receivers: [otlp], exporters: [spanmetrics]}",
        "    metrics: {receivers: [otlp, spanmetrics], exporters: [prometheus, prometheusremotewrite]}"),
        Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private String scrape;

  /** The gateway's scrape output as Prometheus asks for it, for failure messages. */
  private String scrapeText() {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      return http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create("http://" + scrape + "/metrics"))
          .header("Accept", "application/openmetrics-text;version=1.0.0,"
              + "application/openmetrics-text;version=0.0.1;q=0.75,"
              + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1").build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "(scrape failed: " + e + ")";
    }
  }

  private static Resource resource() {
    return Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "checkout",
        AttributeKey.stringKey("service.instance.id"), "checkout-1",
        AttributeKey.stringKey("k8s.pod.name"), "checkout-7d9f")));
  }

  @Test
  void prometheusStoresSpanMetricsWithExemplarsAndSdkMetrics() throws Exception {
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .setResource(resource())
        .addSpanProcessor(BatchSpanProcessor.builder(
                OtlpGrpcSpanExporter.builder().setEndpoint("http://" + otlp).build())
            .setScheduleDelay(Duration.ofMillis(100)).build())
        .build();
    closeables.add(0, tracing);
    Tracer tracer = tracing.get("io.vigil.test");
    Set<String> traceIds = new HashSet<>();
    Instant t0 = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
    for (int i = 0; i < 13; i++) {
      boolean error = i >= 10;
      Span span = tracer.spanBuilder("GET /orders").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(t0.plusMillis(i))
          .startSpan();
      if (error) {
        span.setStatus(StatusCode.ERROR, "boom");
      }
      // 50 ms for the good calls, 500 ms for the failures: distinct buckets.
      span.end(t0.plusMillis(i + (error ? 500 : 50)));
      traceIds.add(span.getSpanContext().getTraceId());
    }
    assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    SdkMeterProvider metrics = SdkMeterProvider.builder()
        .setResource(resource())
        .registerMetricReader(PeriodicMetricReader.builder(
                OtlpGrpcMetricExporter.builder().setEndpoint("http://" + otlp).build())
            .setInterval(Duration.ofMillis(500)).build())
        .build();
    closeables.add(0, metrics);
    metrics.get("io.vigil.test").counterBuilder("http.server.requests").setUnit("{request}")
        .build().add(7, Attributes.of(AttributeKey.stringKey("http.route"), "/orders"));
    metrics.get("io.vigil.test").gaugeBuilder("jvm.memory.used").setUnit("By")
        .buildWithCallback(m -> m.record(1.5e8,
            Attributes.of(AttributeKey.stringKey("jvm.memory.pool.name"), "eden")));
    assertThat(metrics.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    String ok = "{service_name=\"checkout\",span_name=\"GET /orders\",span_kind=\"SPAN_KIND_SERVER\","
        + "status_code=\"STATUS_CODE_UNSET\"}";
    String err = "{service_name=\"checkout\",status_code=\"STATUS_CODE_ERROR\"}";
    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(prometheus.value(CALLS + ok)).as("good calls").isEqualTo(10);
          assertThat(prometheus.value(CALLS + err)).as("failed calls").isEqualTo(3);
        });
    assertThat(prometheus.value(
        DURATION + "_bucket{status_code=\"STATUS_CODE_UNSET\",le=\"100.0\"}")).isEqualTo(10);
    assertThat(prometheus.value(
        DURATION + "_bucket{status_code=\"STATUS_CODE_ERROR\",le=\"100.0\"}")).isEqualTo(0);
    assertThat(prometheus.value(
        DURATION + "_bucket{status_code=\"STATUS_CODE_ERROR\",le=\"1000.0\"}")).isEqualTo(3);
    assertThat(prometheus.value("sum(" + DURATION + "_count{job=\"checkout\"})")).isEqualTo(13);
    assertThat(prometheus.value("sum(" + DURATION + "_sum{job=\"checkout\"})"))
        .isCloseTo(10 * 50 + 3 * 500, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(prometheus.query(CALLS + ok).get(0).get("metric").get("instance").asText())
        .as("instance from service.instance.id").isEqualTo("checkout-1");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          JsonNode found = prometheus.exemplars(DURATION + "_bucket{job=\"checkout\"}");
          List<String> exemplarTraces = new ArrayList<>();
          found.forEach(series -> series.get("exemplars").forEach(e ->
              exemplarTraces.add(e.get("labels").get("trace_id").asText())));
          assertThat(exemplarTraces).as(() -> "exemplars; the gateway serves:\n" + scrapeText())
              .isNotEmpty();
          assertThat(traceIds).containsAll(exemplarTraces);
        });

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(prometheus.value("http_server_requests_total{job=\"checkout\","
              + "http_route=\"/orders\"}")).as("SDK counter, {request} unit dropped").isEqualTo(7);
          assertThat(prometheus.value("jvm_memory_used_bytes{jvm_memory_pool_name=\"eden\"}"))
              .as("SDK gauge with unit suffix").isEqualTo(1.5e8);
          assertThat(prometheus.value("target_info{job=\"checkout\",instance=\"checkout-1\","
              + "k8s_pod_name=\"checkout-7d9f\"}")).as("resource as target_info").isEqualTo(1);
        });

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(prometheus.value("rw_" + CALLS + err)).as("remote-written calls").isEqualTo(3);
          assertThat(prometheus.value("rw_" + CALLS + ok)).isEqualTo(10);
          JsonNode rwExemplars = prometheus.exemplars("rw_" + DURATION + "_bucket");
          assertThat(rwExemplars).as("remote write carries exemplars").isNotEmpty();
        });
  }
}
