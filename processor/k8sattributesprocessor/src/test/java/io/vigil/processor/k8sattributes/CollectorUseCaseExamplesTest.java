package io.vigil.processor.k8sattributes;

import static io.vigil.processor.k8sattributes.Telemetry.only;
import static io.vigil.processor.k8sattributes.Telemetry.resource;
import static io.vigil.processor.k8sattributes.Telemetry.resources;
import static io.vigil.processor.k8sattributes.Telemetry.spans;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.Processor;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Collector README's association, "Config example", "Common Use Cases" (Examples 2 to 5),
 * agent and namespace-scoped examples (collector-examples.yaml, quoted unchanged) against the
 * mock API server: each gives the attributes its keys call for. As in CollectorExamplesTest,
 * only the way to reach the API server (a kubeconfig for the mock) and wait_for_metadata with a
 * generous timeout (so a test never races the informers) are set by the test.
 */
class CollectorUseCaseExamplesTest {

  @TempDir Path dir;
  private MockCluster cluster;
  private final List<Processor<?>> started = new ArrayList<>();

  @BeforeEach
  void cluster() {
    cluster = new MockCluster(dir);
    cluster.namespace("shop", Map.of("team", "payments"), Map.of());
  }

  @AfterEach
  void stop() {
    cluster.close();
    started.forEach(p -> p.shutdown(Instant.now().plusSeconds(1)));
  }

  private Processor<ExportTraceServiceRequest> start(String id,
      RecordingConsumer<ExportTraceServiceRequest> out, Map<String, String> env)
      throws Exception {
    GatewayConfig g = ConfigTestdata.load("collector-examples.yaml");
    K8sAttributesConfig c = (K8sAttributesConfig) g.component(ComponentKind.PROCESSOR,
        ComponentId.parse(id)).config();
    c.authType = "kubeConfig";
    c.kubeConfigPath = cluster.kubeconfig.toString();
    c.waitForMetadata = true;
    // Generous: on a loaded machine listing every kind the example needs can take a while.
    c.waitForMetadataTimeout = java.time.Duration.ofSeconds(60);
    var f = new K8sAttributesProcessorFactory(env, K8sAttributesProcessorFactory.DELETE_GRACE);
    Processor<ExportTraceServiceRequest> p = Telemetry.create(f, c, Signal.TRACES, out);
    p.start();
    started.add(p);
    return p;
  }

  /** The default metadata of a deployment's pod, as the Collector adds it. */
  private static Map<String, String> defaults(Pod pod, String deployment, String node) {
    return Map.of("k8s.namespace.name", pod.getMetadata().getNamespace(),
        "k8s.pod.name", pod.getMetadata().getName(), "k8s.pod.uid", pod.getMetadata().getUid(),
        "k8s.pod.start_time", pod.getMetadata().getCreationTimestamp(),
        "k8s.deployment.name", deployment, "k8s.node.name", node);
  }

  @Test
  void associationExampleFindsThePodByIpThenByNameAndNamespace() throws Exception {
    cluster.replicaSet("shop", "checkout", "7d4b9c8f6");
    Pod pod = cluster.deploymentPod("shop", "checkout", "7d4b9c8f6", "a1", "10.3.0.1", "n1",
        Map.of());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start("k8sattributes/association", out, Map.of());
    p.consume(spans(resource("k8s.pod.ip", "10.3.0.1"),
        resource("k8s.pod.name", "checkout-7d4b9c8f6-a1", "k8s.namespace.name", "shop"),
        // The first rule with all its values decides: this IP is no pod's, so no match.
        resource("k8s.pod.ip", "10.3.9.9", "k8s.pod.name", "checkout-7d4b9c8f6-a1",
            "k8s.namespace.name", "shop"))).join();
    List<Map<String, String>> rs = resources(out.batches().get(0));
    assertThat(rs.get(0)).isEqualTo(Telemetry.merged(Map.of("k8s.pod.ip", "10.3.0.1"),
        defaults(pod, "checkout", "n1")));
    assertThat(rs.get(1)).isEqualTo(defaults(pod, "checkout", "n1"));
    assertThat(rs.get(2)).isEqualTo(Map.of("k8s.pod.ip", "10.3.9.9",
        "k8s.pod.name", "checkout-7d4b9c8f6-a1", "k8s.namespace.name", "shop"));
  }

  @Test
  void waitExampleStartsOnlyOnceThePodsAreListed() throws Exception {
    Pod pod = cluster.pod(new PodBuilder().withNewMetadata().withName("web").withNamespace("shop")
        .endMetadata().withNewStatus().withPodIP("10.3.0.2").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    GatewayConfig g = ConfigTestdata.load("collector-examples.yaml");
    K8sAttributesConfig c = (K8sAttributesConfig) g.component(ComponentKind.PROCESSOR,
        ComponentId.parse("k8sattributes/wait")).config();
    assertThat(c.waitForMetadata).isTrue();
    assertThat(c.waitForMetadataTimeout).hasSeconds(10);
    var p = start("k8sattributes/wait", out, Map.of());
    // No waiting here: start returned, so the pod is known.
    p.consume(spans(resource("k8s.pod.ip", "10.3.0.2"))).join();
    assertThat(only(resources(out.batches().get(0)))).containsEntry("k8s.pod.uid",
        pod.getMetadata().getUid());
  }

  @Test
  void configExampleAddsTheRecommendedAttributesAndTheComponentLabelByPodUid()
      throws Exception {
    cluster.replicaSet("shop", "checkout", "7d4b9c8f6");
    Pod pod = cluster.deploymentPod("shop", "checkout", "7d4b9c8f6", "b2", "10.3.0.3", "n1",
        Map.of("app.kubernetes.io/component", "api", "app.kubernetes.io/name", "checkout-svc",
            "app.kubernetes.io/version", "1.4.2"));
    pod.getMetadata().setAnnotations(Map.of("resource.opentelemetry.io/team", "payments"));
    pod = cluster.kube.pods().inNamespace("shop").resource(pod).update();
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start("k8s_attributes", out, Map.of("KUBE_NODE_NAME", "n1"));
    String uid = pod.getMetadata().getUid();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      int n = out.batches().size();
      p.consume(spans(resource("k8s.pod.uid", uid))).join();
      return only(resources(out.batches().get(n))).containsKey("team");
    });
    Map<String, String> expected = new HashMap<>(defaults(pod, "checkout", "n1"));
    expected.putAll(Map.of("service.namespace", "shop", "service.name", "checkout-svc",
        "service.version", "1.4.2", "service.instance.id", "shop.checkout-7d4b9c8f6-b2.app",
        "app.label.component", "api", "team", "payments"));
    assertThat(only(resources(out.batches().get(out.batches().size() - 1))))
        .isEqualTo(expected);
  }

  @Test
  void gatewayExampleAddsTheStatefulSetAndTheTeamLabels() throws Exception {
    cluster.pod(new PodBuilder().withNewMetadata().withName("db-0").withNamespace("shop")
        .addToLabels("deployment_mode", "primary").addToLabels("team", "storage")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("StatefulSet")
        .withName("db").withUid("ss-db").withController(true).endOwnerReference().endMetadata()
        .withNewSpec().withNodeName("n2").endSpec()
        .withNewStatus().withPodIP("10.3.0.4").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start("k8s_attributes/gateway", out, Map.of());
    p.consume(spans(resource("k8s.pod.ip", "10.3.0.4"))).join();
    assertThat(only(resources(out.batches().get(0)))).containsAllEntriesOf(Map.of(
        "k8s.pod.name", "db-0", "k8s.namespace.name", "shop", "k8s.statefulset.name", "db",
        "k8s.node.name", "n2", "deployment_mode", "primary", "owner_team", "storage"))
        .doesNotContainKeys("k8s.deployment.name", "k8s.daemonset.name");
  }

  @Test
  void productionExampleWatchesOneNamespaceAndTakesItsTeam() throws Exception {
    cluster.namespace("production", Map.of("team", "checkout-team"), Map.of());
    cluster.replicaSet("production", "checkout", "7d4b9c8f6");
    Pod pod = cluster.deploymentPod("production", "checkout", "7d4b9c8f6", "c3", "10.3.0.5",
        "n1", Map.of("environment", "prod", "app.kubernetes.io/version", "3.1.0"));
    pod.getMetadata().setAnnotations(Map.of("git-commit", "9f1c2ab"));
    cluster.kube.pods().inNamespace("production").resource(pod).update();
    cluster.deploymentPod("shop", "checkout", "7d4b9c8f6", "d4", "10.3.0.6", "n1", Map.of());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start("k8s_attributes/production", out, Map.of());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
      int n = out.batches().size();
      p.consume(spans(resource("k8s.pod.ip", "10.3.0.5"))).join();
      return only(resources(out.batches().get(n))).containsKey("commit_sha");
    });
    p.consume(spans(resource("k8s.pod.ip", "10.3.0.6"))).join();
    List<ExportTraceServiceRequest> b = out.batches();
    assertThat(only(resources(b.get(b.size() - 2)))).containsAllEntriesOf(Map.of(
        "k8s.namespace.name", "production", "k8s.deployment.name", "checkout",
        "service.name", "checkout", "service.version", "3.1.0", "team", "checkout-team",
        "environment", "prod", "commit_sha", "9f1c2ab"));
    // A pod outside the production namespace is not watched.
    assertThat(only(resources(b.get(b.size() - 1)))).isEqualTo(Map.of("k8s.pod.ip",
        "10.3.0.6"));
  }

  @Test
  void memoryExampleNamesTheDeploymentFromTheReplicaSetWithoutReadingIt() throws Exception {
    // A ReplicaSet whose owner says otherwise: not watched, so not read.
    cluster.replicaSet("shop", "web-5d8f7c9b4x", "Deployment", "not-web", "d-1");
    cluster.pod(new PodBuilder().withNewMetadata().withName("web-5d8f7c9b4x-e5")
        .withNamespace("shop").addNewOwnerReference().withApiVersion("apps/v1")
        .withKind("ReplicaSet").withName("web-5d8f7c9b4x").withUid("rs-1").withController(true)
        .endOwnerReference().endMetadata().withNewSpec().withNodeName("n1").endSpec()
        .withNewStatus().withPodIP("10.3.0.7").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start("k8s_attributes/memory", out, Map.of("KUBE_NODE_NAME", "n1"));
    p.consume(spans(resource("k8s.pod.ip", "10.3.0.7"))).join();
    assertThat(only(resources(out.batches().get(0)))).containsEntry("k8s.deployment.name",
        "web").containsEntry("k8s.pod.name", "web-5d8f7c9b4x-e5")
        .doesNotContainKey("k8s.node.name");
  }

  @Test
  void multiContainerExampleFindsThePodAndContainerByContainerId() throws Exception {
    Pod pod = cluster.pod(new PodBuilder().withNewMetadata().withName("api").withNamespace("shop")
        .endMetadata().withNewSpec().withNodeName("n1")
        .addNewContainer().withName("app").withImage("ghcr.io/example/api:2.1").endContainer()
        .addNewContainer().withName("proxy").withImage("envoyproxy/envoy:v1.30.1")
        .endContainer().endSpec()
        .withNewStatus().withPodIP("10.3.0.8")
        .addNewContainerStatus().withName("app").withContainerID("containerd://aaa111")
        .endContainerStatus()
        .addNewContainerStatus().withName("proxy").withContainerID("containerd://bbb222")
        .endContainerStatus().endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start("k8s_attributes/containers", out, Map.of("KUBE_NODE_NAME", "n1"));
    p.consume(spans(resource("container.id", "bbb222"))).join();
    assertThat(only(resources(out.batches().get(0)))).isEqualTo(Map.of(
        "container.id", "bbb222", "k8s.namespace.name", "shop", "k8s.pod.name", "api",
        "k8s.pod.uid", pod.getMetadata().getUid(), "k8s.container.name", "proxy",
        "container.image.name", "envoyproxy/envoy", "container.image.tag", "v1.30.1"));
  }

  @Test
  void agentFilterAndNamespaceScopedExamplesKeepOnlyTheirPods() throws Exception {
    cluster.namespace("other", Map.of(), Map.of());
    for (String[] pod : new String[][] {{"a", "shop", "n1", "10.3.1.1"},
        {"b", "shop", "n2", "10.3.1.2"}, {"c", "other", "n1", "10.3.1.3"}}) {
      cluster.pod(new PodBuilder().withNewMetadata().withName(pod[0]).withNamespace(pod[1])
          .endMetadata().withNewSpec().withNodeName(pod[2]).endSpec()
          .withNewStatus().withPodIP(pod[3]).endStatus().build());
    }
    var agentOut = new RecordingConsumer<ExportTraceServiceRequest>();
    var agent = start("k8s_attributes/agent_filter", agentOut, Map.of("KUBE_NODE_NAME", "n1"));
    var nsOut = new RecordingConsumer<ExportTraceServiceRequest>();
    var namespaced = start("k8s_attributes/namespaced", nsOut, Map.of());
    var request = spans(resource("k8s.pod.ip", "10.3.1.1"), resource("k8s.pod.ip", "10.3.1.2"),
        resource("k8s.pod.ip", "10.3.1.3"));
    agent.consume(request).join();
    namespaced.consume(request).join();
    assertThat(resources(agentOut.batches().get(0))).extracting(r -> r.get("k8s.pod.name"))
        .containsExactly("a", null, "c");
    assertThat(resources(nsOut.batches().get(0))).extracting(r -> r.get("k8s.pod.name"))
        .containsExactly("a", "b", null);
  }
}
