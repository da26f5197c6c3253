package io.vigil.processor.k8sattributes;

import static io.vigil.processor.k8sattributes.Telemetry.only;
import static io.vigil.processor.k8sattributes.Telemetry.resource;
import static io.vigil.processor.k8sattributes.Telemetry.resources;
import static io.vigil.processor.k8sattributes.Telemetry.spans;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ClientInfo;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.Processor;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Collector README's examples (collector-examples.yaml, quoted unchanged) load, and the ones
 * whose output the README describes give that output against the mock API server. Examples that
 * use the in-cluster service account are pointed at the mock through a kubeconfig instead: the
 * only keys a test changes.
 */
class CollectorExamplesTest {

  @TempDir Path dir;
  private MockCluster cluster;
  private final List<Processor<?>> started = new ArrayList<>();

  @BeforeEach
  void cluster() {
    cluster = new MockCluster(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
    started.forEach(p -> p.shutdown(Instant.now().plusSeconds(1)));
  }

  private static K8sAttributesConfig example(String id) {
    GatewayConfig c = ConfigTestdata.load("collector-examples.yaml");
    return (K8sAttributesConfig) c.component(ComponentKind.PROCESSOR, ComponentId.parse(id))
        .config();
  }

  private Processor<ExportTraceServiceRequest> start(K8sAttributesConfig c,
      RecordingConsumer<ExportTraceServiceRequest> out, Map<String, String> env)
      throws Exception {
    if (!c.passthrough) {
      c.authType = "kubeConfig";
      c.kubeConfigPath = cluster.kubeconfig.toString();
      c.waitForMetadata = true;
    }
    var f = new K8sAttributesProcessorFactory(env, K8sAttributesProcessorFactory.DELETE_GRACE);
    Processor<ExportTraceServiceRequest> p = Telemetry.create(f, c, Signal.TRACES, out);
    p.start();
    started.add(p);
    return p;
  }

  @Test
  void everyExampleLoadsWithTheValuesItSets() {
    K8sAttributesConfig agent = example("k8s_attributes/agent");
    assertThat(agent.filter.nodeFromEnvVar).isEqualTo("KUBE_NODE_NAME");
    assertThat(agent.podAssociation).singleElement()
        .satisfies(a -> assertThat(a.sources.get(0).from).isEqualTo("connection"));
    K8sAttributesConfig full = example("k8s_attributes");
    assertThat(full.authType).isEqualTo("serviceAccount");
    assertThat(full.extract.otelAnnotations).isTrue();
    assertThat(full.podAssociation).hasSize(3);
    assertThat(example("k8sattributes/wait").waitForMetadata).isTrue();
    assertThat(example("k8s_attributes/memory").extract.deploymentNameFromReplicaset).isTrue();
    assertThat(example("k8s_attributes/production").extract.annotations.get(0).tagName)
        .isEqualTo("commit_sha");
    assertThat(example("k8s_attributes/passthrough").passthrough).isTrue();
  }

  /** The README's telemetrygen pod, sending a span with k8s.container.name over a connection. */
  @Test
  void containerExampleAddsThePodAndImageAttributesAsTheReadmeShows() throws Exception {
    cluster.namespace("e2ek8senrichment", Map.of(), Map.of());
    Pod pod = cluster.pod(new PodBuilder().withNewMetadata()
        .addToAnnotations("workload", "deployment").withName("telemetrygen-pod")
        .withNamespace("e2ek8senrichment").endMetadata()
        .withNewSpec().addNewContainer().withName("telemetrygen")
        .withImage("ghcr.io/open-telemetry/opentelemetry-collector-contrib/telemetrygen:0.112.0"
            + "@sha256:b248ef911f93ae27cbbc85056d1ffacc87fd941bbdc2ffd951b6df8df72b8096")
        .endContainer().endSpec()
        .withNewStatus().withPodIP("10.244.0.11").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start(example("k8sattributes/containers"), out, Map.of());

    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.244.0.11")),
        () -> p.consume(spans(resource("k8s.container.name", "telemetrygen")))).join();

    assertThat(only(resources(out.batches().get(0)))).isEqualTo(Map.of(
        "k8s.container.name", "telemetrygen",
        "k8s.pod.ip", "10.244.0.11",
        "k8s.pod.name", "telemetrygen-pod",
        "k8s.pod.uid", pod.getMetadata().getUid(),
        "container.image.name", "ghcr.io/open-telemetry/opentelemetry-collector-contrib/"
            + "telemetrygen",
        "container.image.tag", "0.112.0"));
  }

  @Test
  void labelsAndAnnotationsExampleTakesThemFromPodNamespaceAndNode() throws Exception {
    cluster.namespace("shop", Map.of("label1", "ns-label"),
        Map.of("annotation-two", "ns-annotation"));
    cluster.kube.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1")
        .addToLabels("label3", "node-label").addToAnnotations("annotation-three", "node-ann")
        .endMetadata().build()).create();
    cluster.pod(new PodBuilder().withNewMetadata().withName("api").withNamespace("shop")
        .addToLabels("label2", "pod-label").addToAnnotations("annotation-one", "pod-ann")
        .endMetadata().withNewSpec().withNodeName("worker-1").endSpec()
        .withNewStatus().withPodIP("10.0.0.5").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start(example("k8sattributes/labels"), out, Map.of());
    p.consume(spans(resource("k8s.pod.ip", "10.0.0.5"))).join();
    assertThat(only(resources(out.batches().get(0)))).containsAllEntriesOf(Map.of(
        "a1", "pod-ann", "a2", "ns-annotation", "a3", "node-ann",
        "l1", "ns-label", "l2", "pod-label", "l3", "node-label"));
  }

  @Test
  void recommendedAttributesExampleUsesOtelAnnotationsAndTheReplicaSetName() throws Exception {
    cluster.namespace("shop", Map.of(), Map.of());
    cluster.pod(new PodBuilder().withNewMetadata().withName("opentelemetry-collector-6c45f8d6f6-x")
        .withNamespace("shop")
        .addToAnnotations("resource.opentelemetry.io/service.version", "2.3.1")
        .addToAnnotations("resource.opentelemetry.io/deployment.environment.name", "prod")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName("opentelemetry-collector-6c45f8d6f6").withUid("ee75293d").withController(true)
        .endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("otelcol").withImage("otel/collector:0.9")
        .endContainer().endSpec().withNewStatus().withPodIP("10.0.0.6").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start(example("k8sattributes/recommended"), out, Map.of());
    p.consume(spans(resource("k8s.pod.ip", "10.0.0.6"),
        resource("k8s.pod.ip", "10.0.0.6", "k8s.container.name", "otelcol"))).join();
    List<Map<String, String>> rs = resources(out.batches().get(0));
    // "The Extracted deployment name is: opentelemetry-collector", the service name falling back
    // to it; the annotations become attributes of their own names.
    assertThat(rs.get(0)).isEqualTo(Map.of("k8s.pod.ip", "10.0.0.6",
        "service.namespace", "shop", "service.name", "opentelemetry-collector",
        "service.version", "2.3.1", "deployment.environment.name", "prod"));
    assertThat(rs.get(1)).containsEntry("service.instance.id",
        "shop.opentelemetry-collector-6c45f8d6f6-x.otelcol")
        .containsEntry("service.version", "2.3.1");
  }

  @Test
  void agentExampleSeesOnlyItsNodesPodsAndAssociatesByConnection() throws Exception {
    cluster.namespace("shop", Map.of(), Map.of());
    cluster.pod(new PodBuilder().withNewMetadata().withName("web").withNamespace("shop")
        .endMetadata().withNewSpec().withNodeName("worker-1").endSpec()
        .withNewStatus().withPodIP("10.0.0.7").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    // The mock cannot evaluate a spec.nodeName selector; the processor's own check of each pod
    // is what this sees (K8sAttributesProcessorTest checks the selector reaches the server).
    K8sAttributesConfig agent = example("k8s_attributes/agent");
    agent.filter.nodeFromEnvVar = "";
    var p = start(agent, out, Map.of());
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.0.0.7")),
        () -> p.consume(spans(resource()))).join();
    assertThat(only(resources(out.batches().get(0)))).containsEntry("k8s.pod.name", "web")
        .containsEntry("k8s.namespace.name", "shop").containsEntry("k8s.node.name", "worker-1")
        .containsEntry("k8s.pod.ip", "10.0.0.7");
  }

  @Test
  void passthroughExampleOnlyAddsTheConnectionsIp() throws Exception {
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start(example("k8s_attributes/passthrough"), out, Map.of());
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.0.0.8")),
        () -> p.consume(spans(resource("service.name", "web")))).join();
    assertThat(only(resources(out.batches().get(0))))
        .isEqualTo(Map.of("service.name", "web", "k8s.pod.ip", "10.0.0.8"));
  }
}
