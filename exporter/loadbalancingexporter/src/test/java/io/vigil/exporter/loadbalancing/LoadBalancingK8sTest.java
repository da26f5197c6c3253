package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Host;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.loadbalancing.LoadBalancingDnsTest.Backends;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter on the k8s resolver, against fabric8's mock API server in CRUD mode on 127.0.0.1
 * (watches included) and three real OTLP backends on 127.0.0.1-3: the Service's ready endpoints
 * across its EndpointSlices are the ring; an endpoint turning unready or a slice deleted takes its
 * backends off at the watch event; another Service's slices are ignored.
 */
class LoadBalancingK8sTest {

  private KubernetesMockServer server;
  private KubernetesClient kube;

  @BeforeEach
  void startApiServer() throws Exception {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    kube = server.createClient();
  }

  @AfterEach
  void stopApiServer() {
    kube.close();
    server.destroy();
  }

  @Test
  void theRingFollowsTheReadyEndpointsOfTheService() throws Exception {
    try (Backends b = Backends.start(3)) {
      create(slice("samplers-a", "samplers", ready("127.0.0.1"), ready("127.0.0.2")));
      create(slice("other-x", "other", ready("127.0.0.3")));
      LoadBalancingExporter e = exporter("samplers.observability", b.port());
      e.start(Host.NONE);
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 2);
        assertThat(e.backends()).containsExactlyInAnyOrder(b.get(0).endpoint(),
            b.get(1).endpoint());
        Set<ByteString> first = LoadBalancingDnsTest.send(e, 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.arrived(0, 1).containsAll(first));

        create(slice("samplers-b", "samplers", ready("127.0.0.3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> e.backends().size() == 3);
        Set<ByteString> second = LoadBalancingDnsTest.send(e, 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.arrived(0, 1, 2).containsAll(second));
        assertThat(b.get(2).spans).as("the added backend gets a share").isNotEmpty();

        // 127.0.0.1 turns unready; the second slice goes.
        replace(slice("samplers-a", "samplers", unready("127.0.0.1"), ready("127.0.0.2")));
        kube.discovery().v1().endpointSlices().inNamespace("observability")
            .withName("samplers-b").delete();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            e.backends().equals(Set.of(b.get(1).endpoint())));
        Set<ByteString> third = LoadBalancingDnsTest.send(e, 30);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.arrived(1).containsAll(third));
        b.assertEachTraceAtOneBackend();
        b.assertEachSpanOnce();
      } finally {
        e.shutdown(Instant.now().plusSeconds(5));
      }
    }
  }

  @Test
  void eachReadyAddressWithEachPort() {
    EndpointSlice s = slice("x", "samplers", ready("10.0.0.1"), unready("10.0.0.2"),
        new EndpointBuilder().withAddresses("10.0.0.3").build());
    assertThat(K8sBackends.endpoints(s, List.of(4317, 55690))).containsExactly(
        "10.0.0.1:4317", "10.0.0.1:55690", "10.0.0.3:4317", "10.0.0.3:55690");
    EndpointSlice v6 = new EndpointSliceBuilder(slice("y", "samplers", ready("fd00::1")))
        .withAddressType("IPv6").build();
    assertThat(K8sBackends.endpoints(v6, List.of(4317))).containsExactly("[fd00::1]:4317");
    assertThat(K8sBackends.endpoints(new EndpointSliceBuilder().build(), List.of(4317)))
        .isEmpty();
  }

  private LoadBalancingExporter exporter(String service, int port) {
    LoadBalancingExporterConfig cfg = new LoadBalancingExporterConfig();
    cfg.resolver.k8s = new LoadBalancingExporterConfig.K8s();
    cfg.resolver.k8s.service = service;
    cfg.resolver.k8s.ports = List.of(port);
    cfg.protocol.otlp.tls.insecure = true;
    cfg.protocol.otlp.timeout = Duration.ofSeconds(30); // see LoadBalancingDnsTest
    cfg.validate();
    ComponentSettings settings = new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("loadbalancing"), new GatewayTelemetry());
    LoadBalancerMetrics metrics = new LoadBalancerMetrics(settings.telemetry().registry(),
        "k8s-test", () -> 0);
    return new LoadBalancingExporter(settings, cfg, Set.of(io.vigil.core.Signal.TRACES),
        new K8sBackends(cfg.resolver.k8s,
        () -> server.createClient(), metrics, settings.logger(LoadBalancingK8sTest.class)));
  }

  private void create(EndpointSlice s) {
    kube.discovery().v1().endpointSlices().inNamespace("observability").resource(s).create();
  }

  private void replace(EndpointSlice s) {
    kube.discovery().v1().endpointSlices().inNamespace("observability").resource(s).update();
  }

  static EndpointSlice slice(String name, String service,
      io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... endpoints) {
    return new EndpointSliceBuilder().withNewMetadata().withName(name)
        .withNamespace("observability").addToLabels(K8sBackends.SERVICE_LABEL, service)
        .endMetadata().withAddressType("IPv4").withEndpoints(endpoints).build();
  }

  static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint ready(String ip) {
    return new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true)
        .endConditions().build();
  }

  static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint unready(String ip) {
    return new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(false)
        .withTerminating(true).endConditions().build();
  }
}
