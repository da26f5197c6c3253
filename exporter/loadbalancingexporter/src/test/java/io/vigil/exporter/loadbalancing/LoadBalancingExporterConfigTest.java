package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Collector README's static-resolver example loads; bad configs name the key. */
class LoadBalancingExporterConfigTest {

  @Test
  void theCollectorsExampleLoads() {
    GatewayConfig c = ConfigTestdata.load("collector-example.yaml");
    var lb = (LoadBalancingExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("loadbalancing")).config();
    assertThat(lb.resolver.staticResolver.hostnames).hasSize(4);
    assertThat(lb.protocol.otlp.timeout).isEqualTo(Duration.ofSeconds(1));
    assertThat(lb.backend("backend-2:4317").endpoint).isEqualTo("backend-2:4317");
    var svc = (LoadBalancingExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.parse("loadbalancing/service")).config();
    assertThat(svc.routingKey).isEqualTo("service");
    assertThat(svc.backend("sampler-1").endpoint).as("the OTLP port by default")
        .isEqualTo("sampler-1:4317");
  }

  @Test
  void theCollectorsDnsExamplesLoadWithItsDefaults() {
    GatewayConfig c = ConfigTestdata.load("collector-dns-example.yaml");
    var lb = (LoadBalancingExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("loadbalancing")).config();
    assertThat(lb.resolver.dns.hostname).isEqualTo("otelcol.observability.svc.cluster.local");
    assertThat(lb.resolver.dns.port).isEqualTo(4317);
    assertThat(lb.resolver.dns.interval).isEqualTo(Duration.ofSeconds(5));
    assertThat(lb.resolver.dns.timeout).isEqualTo(Duration.ofSeconds(1));
    var tuned = (LoadBalancingExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.parse("loadbalancing/tuned")).config();
    assertThat(tuned.resolver.dns.port).isEqualTo(55690);
    assertThat(tuned.resolver.dns.interval).isEqualTo(Duration.ofSeconds(30));
    assertThat(tuned.resolver.dns.timeout).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theCollectorsK8sExampleLoads() {
    GatewayConfig c = ConfigTestdata.load("collector-k8s-example.yaml");
    var lb = (LoadBalancingExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("loadbalancing")).config();
    assertThat(lb.resolver.k8s.serviceName()).isEqualTo("lb-svc");
    assertThat(lb.resolver.k8s.namespace()).isEqualTo("kube-public");
    assertThat(lb.resolver.k8s.ports).containsExactly(15317, 16317);
    var defaults = (LoadBalancingExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.parse("loadbalancing/defaults")).config();
    assertThat(defaults.resolver.k8s.namespace()).as("the gateway's own namespace").isNull();
    assertThat(defaults.resolver.k8s.ports).containsExactly(4317);
    assertThat(defaults.resolver.k8s.timeout).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aBareHostGetsTheOtlpPortAndIpv6ItsBrackets() {
    assertThat(LoadBalancingExporterConfig.withDefaultPort("sampler-1")).isEqualTo("sampler-1:4317");
    assertThat(LoadBalancingExporterConfig.withDefaultPort("sampler-1:55690"))
        .isEqualTo("sampler-1:55690");
    assertThat(LoadBalancingExporterConfig.withDefaultPort("::1")).isEqualTo("[::1]:4317");
    assertThat(LoadBalancingExporterConfig.withDefaultPort("[::1]")).isEqualTo("[::1]:4317");
    assertThat(LoadBalancingExporterConfig.withDefaultPort("[::1]:9")).isEqualTo("[::1]:9");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-no-resolver.yaml        | exporters::loadbalancing::resolver: required",
    "bad-dns.yaml                | exporters::loadbalancing::resolver::dns::hostname: required",
    "bad-dns-interval.yaml       | exporters::loadbalancing::resolver::dns::interval: must be a positive",
    "bad-k8s-service.yaml        | exporters::loadbalancing::resolver::k8s::service: \"Samplers.observability\" is not",
    "bad-k8s-port.yaml           | exporters::loadbalancing::resolver::k8s::ports::1: must be 1 to 65535",
    "bad-two-resolvers.yaml      | exporters::loadbalancing::resolver: only one of",
    "bad-endpoint.yaml           | exporters::loadbalancing::protocol::otlp::endpoint: must not be set",
    "bad-routing-key.yaml        | exporters::loadbalancing::routing_key: unsupported value \"metric\"",
    "bad-otlp-compression.yaml   | exporters::loadbalancing::protocol::otlp::compression: unsupported value",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
