package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Host;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Logs and metrics through the exporter with {@code routing_key: service}, to three real OTLP
 * backends: each service's records and metrics, sent over several mixed batches, all land at
 * one backend, every one once.
 */
class LoadBalancingLogsMetricsTest {

  private static final int SERVICES = 30;

  @Test
  void eachServicesLogsAndMetricsReachOneBackend() throws Exception {
    try (TraceSinkServer a = new TraceSinkServer(); TraceSinkServer b = new TraceSinkServer();
        TraceSinkServer c = new TraceSinkServer()) {
      LoadBalancingExporterConfig cfg = new LoadBalancingExporterConfig();
      cfg.routingKey = "service";
      cfg.resolver.staticResolver = new LoadBalancingExporterConfig.Static();
      cfg.resolver.staticResolver.hostnames = List.of(a.endpoint(), b.endpoint(), c.endpoint());
      cfg.protocol.otlp.tls.insecure = true;
      cfg.protocol.otlp.timeout = Duration.ofSeconds(30); // see LoadBalancingDnsTest
      cfg.validate();
      var e = new LoadBalancingExporterFactory().create(new ComponentSettings(
          ComponentKind.EXPORTER, ComponentId.of("loadbalancing"), new GatewayTelemetry()), cfg,
          Set.of(Signal.TRACES, Signal.LOGS, Signal.METRICS));
      e.start(Host.NONE);
      try {
        for (int round = 0; round < 3; round++) {
          ExportLogsServiceRequest.Builder logs = ExportLogsServiceRequest.newBuilder();
          ExportMetricsServiceRequest.Builder metrics = ExportMetricsServiceRequest.newBuilder();
          for (int s = 0; s < SERVICES; s++) {
            logs.addResourceLogs(ResourceLogs.newBuilder().setResource(
                TestData.resource("svc-" + s)).addScopeLogs(ScopeLogs.newBuilder()
                .addLogRecords(LogRecord.newBuilder().setSeverityText("INFO"))
                .addLogRecords(LogRecord.newBuilder().setSeverityText("WARN"))));
            metrics.addResourceMetrics(ResourceMetrics.newBuilder().setResource(
                TestData.resource("svc-" + s)).addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("queue_depth").setGauge(
                    Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(s))))));
          }
          e.consumer(Signal.LOGS).consume(logs.build()).get(10, TimeUnit.SECONDS);
          e.consumer(Signal.METRICS).consume(metrics.build()).get(10, TimeUnit.SECONDS);
        }
        List<TraceSinkServer> all = List.of(a, b, c);
        await().atMost(Duration.ofSeconds(30)).until(() ->
            total(all, true) == SERVICES * 3 * 2 && total(all, false) == SERVICES * 3);
        for (int s = 0; s < SERVICES; s++) {
          String svc = "svc-" + s;
          assertThat(all.stream().filter(x -> x.logRecords.containsKey(svc)).toList())
              .as("logs of %s at one backend", svc).hasSize(1)
              .allMatch(x -> x.logRecords.get(svc).get() == 6);
          assertThat(all.stream().filter(x -> x.metrics.containsKey(svc)).toList())
              .as("metrics of %s at one backend", svc).hasSize(1)
              .allMatch(x -> x.metrics.get(svc).get() == 3);
        }
        for (TraceSinkServer x : all) {
          assertThat(x.logRecords).as("each backend a share").isNotEmpty();
          assertThat(x.logRecords.keySet()).as("a service's logs and metrics go alike")
              .isEqualTo(x.metrics.keySet());
        }
      } finally {
        e.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  private static int total(List<TraceSinkServer> sinks, boolean logs) {
    int n = 0;
    for (TraceSinkServer s : sinks) {
      for (Map.Entry<String, AtomicInteger> en : (logs ? s.logRecords : s.metrics).entrySet()) {
        n += en.getValue().get();
      }
    }
    return n;
  }
}
