package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.vigil.core.component.Host;
import io.vigil.exporter.loadbalancing.LoadBalancingDnsTest.Backends;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A backend removed mid-stream loses no trace: three backends behind a real DNS name, one of
 * them down, so what the ring gives it waits in its otlp exporter's queue and retries. While
 * batches keep coming, its record is removed: what it held is taken back and routed on the new
 * ring, and exactly the sent span IDs arrive across the two remaining backends, each once, each
 * trace whole at one of them; the re-routed spans are counted.
 */
class LoadBalancingRerouteTest {

  @Test
  void aRemovedBackendsQueuedTracesReachTheOthers() throws Exception {
    try (LoopbackDnsServer dnsServer = new LoopbackDnsServer();
        Backends b = Backends.start(3)) {
      b.get(2).close(); // down: its share stays queued and retried in the exporter
      dnsServer.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1, 2));
      LoadBalancingExporter e = LoadBalancingDnsTest.exporter(dnsServer, b.port());
      PrometheusRegistry registry = e.registry();
      e.start(Host.NONE);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 3);
        Set<ByteString> sent = new HashSet<>();
        for (int round = 0; round < 6; round++) {
          if (round == 3) {
            // Mid-stream: the down backend's record goes; rounds 3-5 may race the swap.
            dnsServer.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1));
          }
          sent.addAll(LoadBalancingDnsTest.send(e, 40));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.arrived(0, 1).size() == sent.size());
        assertThat(b.arrived(0, 1)).isEqualTo(sent);
        assertThat(b.get(2).spans).isEmpty();
        b.assertEachTraceAtOneBackend();
        b.assertEachSpanOnce();
        assertThat(rerouted(registry)).as("the down backend's share, counted")
            .isGreaterThan(0).isLessThan(sent.size());
      } finally {
        e.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  static double rerouted(PrometheusRegistry registry) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("vigil_loadbalancer_rerouted_items"))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }
}
