package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Host;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exporter on the dns resolver, against a real DNS server and three real OTLP backends on
 * 127.0.0.1-3 (one port, as behind a headless Service): a record removed takes its backend off
 * the ring, so later traces go whole to the others; a record added brings a backend in.
 */
class LoadBalancingDnsTest {

  static final String NAME = "samplers.vigil.test";

  @Test
  void theRingFollowsTheRecords() throws Exception {
    try (LoopbackDnsServer dnsServer = new LoopbackDnsServer();
        Backends b = Backends.start(3)) {
      dnsServer.set(NAME, b.addresses(0, 1));
      LoadBalancingExporter e = exporter(dnsServer, b.port());
      e.start(Host.NONE);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 2);
        Set<ByteString> first = send(e, 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.arrived(0, 1).containsAll(first));
        assertThat(b.get(2).spans).as("not on the ring yet").isEmpty();

        dnsServer.set(NAME, b.addresses(0, 1, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 3);
        Set<ByteString> second = send(e, 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.arrived(0, 1, 2).containsAll(second));
        assertThat(b.get(2).spans).as("the added backend gets a share").isNotEmpty();

        dnsServer.set(NAME, b.addresses(1, 2));
        await().atMost(Duration.ofSeconds(10)).until(() ->
            !e.backends().contains(b.get(0).endpoint()));
        Set<ByteString> third = send(e, 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.arrived(1, 2).containsAll(third));
        assertThat(b.get(0).spanIds()).as("off the ring: none of the later traces")
            .doesNotContainAnyElementsOf(third);
        b.assertEachTraceAtOneBackend();
        b.assertEachSpanOnce();
      } finally {
        e.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  static LoadBalancingExporter exporter(LoopbackDnsServer dnsServer, int port) {
    return exporter(dnsServer, port, Host.NONE, null);
  }

  /** With each backend's sending queue on {@code storage}, a file_storage in {@code host}. */
  static LoadBalancingExporter exporter(LoopbackDnsServer dnsServer, int port, Host host,
      String storage) {
    LoadBalancingExporterConfig cfg = new LoadBalancingExporterConfig();
    cfg.resolver.dns = new LoadBalancingExporterConfig.Dns();
    cfg.resolver.dns.hostname = NAME;
    cfg.resolver.dns.port = port;
    cfg.resolver.dns.interval = Duration.ofMillis(50);
    cfg.resolver.dns.timeout = Duration.ofSeconds(2);
    cfg.protocol.otlp.tls.insecure = true;
    // Generous: on a loaded machine a 5 s attempt can time out after the backend got the
    // batch, and its retry is a (legitimate, at-least-once) duplicate the test would count.
    cfg.protocol.otlp.timeout = Duration.ofSeconds(30);
    cfg.protocol.otlp.sendingQueue.storage = storage;
    cfg.validate();
    ComponentSettings settings = new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("loadbalancing"), new GatewayTelemetry(), host);
    LoadBalancerMetrics metrics = new LoadBalancerMetrics(settings.telemetry().registry(),
        "dns-test", () -> 0);
    return new LoadBalancingExporter(settings, cfg, Set.of(Signal.TRACES), new DnsBackends(cfg.resolver.dns,
        dnsServer.asNameServer(), metrics, settings.logger(LoadBalancingDnsTest.class)));
  }

  /** {@code traces} traces of three spans each, in three mixed batches; the span IDs sent. */
  static Set<ByteString> send(LoadBalancingExporter e, int traces) throws Exception {
    return new HashSet<>(sendTraces(e, traces).keySet());
  }

  /** As {@link #send}: each span ID sent with its trace ID. */
  static Map<ByteString, ByteString> sendTraces(LoadBalancingExporter e, int traces)
      throws Exception {
    List<ByteString> traceIds = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      traceIds.add(TestData.randomId(16));
    }
    Map<ByteString, ByteString> sent = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      ScopeSpans.Builder ss = ScopeSpans.newBuilder();
      for (ByteString t : traceIds) {
        Span s = Span.newBuilder().setTraceId(t).setSpanId(TestData.randomId(8))
            .setName("op").build();
        sent.put(s.getSpanId(), t);
        ss.addSpans(s);
      }
      e.consumer(Signal.TRACES).consume(ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().setResource(TestData.resource("svc"))
              .addScopeSpans(ss)).build()).get(10, TimeUnit.SECONDS);
    }
    return sent;
  }

  /** OTLP backends on 127.0.0.1, .2, .3... at one port: what one DNS name with a port gives. */
  static final class Backends implements AutoCloseable {
    final List<TraceSinkServer> servers = new ArrayList<>();

    static Backends start(int n) throws Exception {
      // The first binds a free port on 127.0.0.1; the others take the same port on their own
      // loopback address, where it is almost always free too: otherwise try another.
      for (int attempt = 0; ; attempt++) {
        Backends b = new Backends();
        try {
          b.servers.add(new TraceSinkServer("127.0.0.1", 0));
          for (int i = 2; i <= n; i++) {
            b.servers.add(new TraceSinkServer("127.0.0." + i, b.port()));
          }
          return b;
        } catch (Exception bindFailed) {
          b.close();
          if (attempt == 5) {
            throw bindFailed;
          }
        }
      }
    }

    int port() {
      return servers.get(0).port();
    }

    TraceSinkServer get(int i) {
      return servers.get(i);
    }

    InetAddress[] addresses(int... which) throws Exception {
      InetAddress[] out = new InetAddress[which.length];
      for (int i = 0; i < which.length; i++) {
        out[i] = InetAddress.getByName("127.0.0." + (which[i] + 1));
      }
      return out;
    }

    Set<ByteString> arrived(int... which) {
      Set<ByteString> all = new HashSet<>();
      for (int i : which) {
        all.addAll(servers.get(i).spanIds());
      }
      return all;
    }

    void assertEachTraceAtOneBackend() {
      Set<ByteString> seen = new HashSet<>();
      for (TraceSinkServer s : servers) {
        for (ByteString t : s.traces) {
          assertThat(seen.add(t)).as("trace at one backend only").isTrue();
        }
      }
    }

    void assertEachSpanOnce() {
      for (TraceSinkServer s : servers) {
        assertThat(s.spans.values()).allMatch(n -> n.get() == 1);
      }
      int total = servers.stream().mapToInt(s -> s.spans.size()).sum();
      assertThat(arrived(java.util.stream.IntStream.range(0, servers.size()).toArray()))
          .hasSize(total);
    }

    @Override
    public void close() throws Exception {
      for (TraceSinkServer s : servers) {
        s.close();
      }
    }
  }
}
