package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Host;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Three real OTLP gRPC backends: each trace, sent in pieces, reaches exactly one of them. */
class LoadBalancingExporterTest {

  @Test
  void everySpanOfATraceReachesTheSameBackendOnce() throws Exception {
    try (TraceSinkServer a = new TraceSinkServer(); TraceSinkServer b = new TraceSinkServer();
        TraceSinkServer c = new TraceSinkServer()) {
      LoadBalancingExporterConfig cfg = new LoadBalancingExporterConfig();
      cfg.resolver.staticResolver = new LoadBalancingExporterConfig.Static();
      cfg.resolver.staticResolver.hostnames = List.of(a.endpoint(), b.endpoint(), c.endpoint());
      cfg.protocol.otlp.tls.insecure = true;
      cfg.validate();
      LoadBalancingExporter e = (LoadBalancingExporter) new LoadBalancingExporterFactory()
          .create(new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("loadbalancing"),
              new GatewayTelemetry()), cfg, Set.of(Signal.TRACES));
      e.start(Host.NONE);
      // Three rounds: every trace gets a span in each, mixed with the other traces' spans.
      Set<ByteString> sent = LoadBalancingDnsTest.send(e, 90);
      await().atMost(Duration.ofSeconds(20)).until(() ->
          a.spans.size() + b.spans.size() + c.spans.size() == sent.size());
      e.shutdown(Instant.now().plusSeconds(5));

      for (TraceSinkServer s : List.of(a, b, c)) {
        assertThat(s.traces).as("each backend gets a share").isNotEmpty();
        assertThat(s.spans.values()).allMatch(n -> n.get() == 1);
      }
      Set<ByteString> union = new HashSet<>(a.traces);
      union.addAll(b.traces);
      union.addAll(c.traces);
      assertThat(union).hasSize(90);
      assertThat(a.traces.size() + b.traces.size() + c.traces.size())
          .as("no trace split over backends").isEqualTo(90);
      for (TraceSinkServer s : List.of(a, b, c)) {
        assertThat(s.traces).allMatch(t -> e.backendFor(t).equals(s.endpoint()),
            "routed where the ring says");
      }
    }
  }
}
