package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The dns resolver against a real DNS server on loopback (UDP, the wire format): A and AAAA
 * records become backends with the configured port, a changed answer is reported once, a failed
 * lookup keeps the last backends.
 */
class DnsBackendsTest {

  @Test
  void followsTheRecordsAndKeepsTheLastAnswerWhenALookupFails() throws Exception {
    try (LoopbackDnsServer server = new LoopbackDnsServer()) {
      server.set("samplers.vigil.test", InetAddress.getByName("127.0.0.2"),
          InetAddress.getByName("::1"));
      LoadBalancingExporterConfig.Dns cfg = new LoadBalancingExporterConfig.Dns();
      cfg.hostname = "samplers.vigil.test";
      cfg.port = 14317;
      cfg.interval = Duration.ofMillis(50);
      cfg.timeout = Duration.ofMillis(500);
      PrometheusRegistry registry = new PrometheusRegistry();
      DnsBackends dns = new DnsBackends(cfg, server.asNameServer(),
          new LoadBalancerMetrics(registry, "loadbalancing", () -> 0),
          LoggerFactory.getLogger(DnsBackendsTest.class));
      CopyOnWriteArrayList<Set<String>> told = new CopyOnWriteArrayList<>();
      dns.start(told::add);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
        assertThat(told.get(0)).containsExactlyInAnyOrder("127.0.0.2:14317",
            "[0:0:0:0:0:0:0:1]:14317");

        server.set("samplers.vigil.test", InetAddress.getByName("127.0.0.2"),
            InetAddress.getByName("127.0.0.3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 2);
        assertThat(told.get(1)).containsExactlyInAnyOrder("127.0.0.2:14317", "127.0.0.3:14317");
        int asked = server.queries.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.queries.get() > asked + 6);
        assertThat(told).as("an unchanged answer is not reported again").hasSize(2);

        server.set("samplers.vigil.test"); // NXDOMAIN from now on
        await().atMost(Duration.ofSeconds(10)).until(() ->
            failedResolutions(registry) >= 3);
        assertThat(told).as("a failed lookup keeps the last backends").hasSize(2);
      } finally {
        dns.shutdown();
      }
    }
  }

  private static double failedResolutions(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(
            "otelcol_loadbalancer_num_resolutions"))
        .flatMap(m -> m.getDataPoints().stream())
        .filter(d -> d.getLabels().get("success").equals("false"))
        .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot
            .CounterDataPointSnapshot) d).getValue())
        .sum();
  }
}
