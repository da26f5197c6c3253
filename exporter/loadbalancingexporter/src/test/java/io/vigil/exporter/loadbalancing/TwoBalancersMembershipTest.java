package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.Host;
import io.vigil.exporter.loadbalancing.LoadBalancingDnsTest.Backends;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #26's first tier as two balancers, each with its own view of the membership (its own DNS
 * server, changed at different moments): each trace's root span goes through balancer 1, its
 * children through balancer 2. Sampler 2 is slow (refusing every request, as an overloaded
 * gateway's memory_limiter does) or down, so both balancers hold its share in their queues and
 * retries when it is removed, first from balancer 1's view, a round of traces later from balancer
 * 2's. Whatever was queued, and whichever balancer routed on which view, every span sent arrives,
 * once, and every trace's spans meet at one sampler.
 */
class TwoBalancersMembershipTest {

  @Test
  void aSlowSamplerRemovedWhileBothBalancersQueueItsTracesLosesNone() throws Exception {
    run(false);
  }

  @Test
  void aDownSamplerRemovedWhileBothBalancersQueueItsTracesLosesNone() throws Exception {
    run(true);
  }

  private static void run(boolean down) throws Exception {
    try (LoopbackDnsServer dns1 = new LoopbackDnsServer();
        LoopbackDnsServer dns2 = new LoopbackDnsServer();
        Backends b = Backends.start(3)) {
      if (down) {
        b.get(2).close();
      } else {
        b.get(2).refusing = Status.UNAVAILABLE.withDescription("overloaded");
      }
      dns1.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1, 2));
      dns2.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1, 2));
      LoadBalancingExporter lb1 = LoadBalancingDnsTest.exporter(dns1, b.port());
      LoadBalancingExporter lb2 = LoadBalancingDnsTest.exporter(dns2, b.port());
      lb1.start(Host.NONE);
      lb2.start(Host.NONE);
      try {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> lb1.backends().size() == 3 && lb2.backends().size() == 3);
        Set<ByteString> sent = new HashSet<>();
        for (int round = 0; round < 6; round++) {
          if (round == 2) {
            dns1.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> lb1.backends().size() == 2);
          }
          if (round == 4) {
            // Rounds 2 and 3 went to sampler 2 through balancer 2 only; now it leaves there too.
            dns2.set(LoadBalancingDnsTest.NAME, b.addresses(0, 1));
          }
          sent.addAll(sendSplit(lb1, lb2, 30));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lb2.backends().size() == 2);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> b.arrived(0, 1).size() == sent.size());
        assertThat(b.arrived(0, 1)).isEqualTo(sent);
        assertThat(b.get(2).spans).as("sampler 2 accepted nothing").isEmpty();
        b.assertEachTraceAtOneBackend();
        b.assertEachSpanOnce();
        assertThat(LoadBalancingRerouteTest.rerouted(lb2.registry()))
            .as("balancer 2 held sampler 2's share of four rounds").isPositive();
      } finally {
        lb1.shutdown(Instant.now().plusSeconds(5));
        lb2.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  /**
   * {@code traces} traces: each root span in one batch to {@code roots}, the two children of
   * each in two batches to {@code children}; the span IDs sent.
   */
  private static Set<ByteString> sendSplit(LoadBalancingExporter roots,
      LoadBalancingExporter children, int traces) throws Exception {
    List<ByteString> ids = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      ids.add(TestData.randomId(16));
    }
    Set<ByteString> sent = new HashSet<>();
    for (int part = 0; part < 3; part++) {
      ScopeSpans.Builder ss = ScopeSpans.newBuilder();
      for (ByteString t : ids) {
        Span s = Span.newBuilder().setTraceId(t).setSpanId(TestData.randomId(8))
            .setName(part == 0 ? "root" : "child").build();
        sent.add(s.getSpanId());
        ss.addSpans(s);
      }
      LoadBalancingExporter via = part == 0 ? roots : children;
      via.consumer(Signal.TRACES).consume(ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().setResource(TestData.resource("svc"))
              .addScopeSpans(ss)).build()).get(10, TimeUnit.SECONDS);
    }
    return sent;
  }
}
