package io.vigil.agent.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExtensionTest {

  @Test
  void everyClassFileIsJava8() throws IOException {
    List<Path> classes;
    try (Stream<Path> s = Files.walk(Path.of("target", "classes"))) {
      classes = s.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
    }
    assertThat(classes).isNotEmpty();
    for (Path c : classes) {
      try (InputStream in = Files.newInputStream(c); DataInputStream d = new DataInputStream(in)) {
        assertThat(d.readInt()).isEqualTo(0xCAFEBABE);
        d.readUnsignedShort();
        assertThat(d.readUnsignedShort()).as("class file major version of %s", c).isEqualTo(52);
      }
    }
  }

  /** Issue #17, defect 5: Vigil names its own distribution and version on resources. */
  @Test
  void resourcesNameTheVigilDistroAndItsVersion() {
    String version = System.getProperty("vigil.version");
    assertThat(version).isNotBlank();
    assertThat(VigilDistro.version()).isEqualTo(version);
    Resource upstream = Resource.create(io.opentelemetry.api.common.Attributes.builder()
        .put("telemetry.distro.name", "opentelemetry-java-instrumentation")
        .put("telemetry.distro.version", "2.31.1")
        .put("service.name", "orders").build());
    Resource r = VigilDistro.apply(upstream);
    assertThat(r.getAttribute(AttributeKey.stringKey("telemetry.distro.name"))).isEqualTo("vigil");
    assertThat(r.getAttribute(AttributeKey.stringKey("telemetry.distro.version")))
        .isEqualTo(version);
    assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("orders");
  }

  @Test
  void endpointIsTheNodeOnKubernetesAndLocalhostElsewhere() {
    assertThat(VigilDefaults.compute(Map.of()).get("otel.exporter.otlp.endpoint"))
        .isEqualTo("http://localhost:4318");
    assertThat(VigilDefaults.compute(Map.of("HOST_IP", "10.1.2.3")).get("otel.exporter.otlp.endpoint"))
        .isEqualTo("http://10.1.2.3:4318");
    assertThat(VigilDefaults.compute(Map.of("HOST_IP", "fd00::7")).get("otel.exporter.otlp.endpoint"))
        .isEqualTo("http://[fd00::7]:4318");
    assertThat(VigilDefaults.compute(Map.of("HOST_IP", "10.1.2.3", "VIGIL_GATEWAY_HOST", "vigil.obs"))
        .get("otel.exporter.otlp.endpoint")).isEqualTo("http://vigil.obs:4318");
    assertThat(VigilDefaults.compute(Map.of())).containsEntry("otel.logs.exporter", "otlp");
  }

  @Test
  void kubernetesResourceCarriesDownwardApiAttributes() {
    Map<String, String> env = new HashMap<>();
    env.put("K8S_POD_NAME", "p-1");
    env.put("K8S_NAMESPACE_NAME", "shop");
    env.put("K8S_CONTAINER_NAME", "app");
    Resource r = KubernetesResourceProvider.fromEnvironment(env);
    assertThat(r.getAttribute(AttributeKey.stringKey("k8s.pod.name"))).isEqualTo("p-1");
    assertThat(r.getAttribute(AttributeKey.stringKey("k8s.namespace.name"))).isEqualTo("shop");
    assertThat(KubernetesResourceProvider.fromEnvironment(Map.of()).getAttributes().isEmpty())
        .isTrue();
  }

  @Test
  void serviceNameComesFromDeploymentContainerJarOrMainClass() {
    assertThat(ServiceNameResourceProvider.serviceName(
        Map.of("K8S_DEPLOYMENT_NAME", "checkout", "K8S_CONTAINER_NAME", "app"), "x.Main"))
        .isEqualTo("checkout");
    assertThat(ServiceNameResourceProvider.serviceName(Map.of("K8S_CONTAINER_NAME", "app"), ""))
        .isEqualTo("app");
    assertThat(ServiceNameResourceProvider.serviceName(Map.of(), "/opt/app/orders-1.2.jar --port 80"))
        .isEqualTo("orders-1.2");
    assertThat(ServiceNameResourceProvider.serviceName(Map.of(), "com.shop.InventoryApp arg"))
        .isEqualTo("InventoryApp");
    assertThat(ServiceNameResourceProvider.serviceName(Map.of(), "")).isNull();
  }
}
