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
 * use the in-cluster service account are pointed at the mock through a kubeconfig instead, and
 * each waits for the informers' first listing (wait_for_metadata, with a generous timeout) so
 * no test races them: the only keys a test changes.
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
      // Generous: on a loaded machine listing every kind the example needs can take a while.
      c.waitForMetadataTimeout = java.time.Duration.ofSeconds(60);
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

    K8sAttributesConfig complete = example("k8s_attributes/complete");
    assertThat(complete.kubeConfigPath).isEqualTo("~/.kube/config");
    assertThat(complete.extract.metadata).hasSize(30)
        .contains("k8s.cronjob.uid", "k8s.cluster.uid", "container.image.repo_digests");
    assertThat(complete.extract.annotations).extracting(r -> r.tagName + "|" + r.key + "|"
        + r.keyRegex + "|" + r.from).containsExactly("annotation_value|my-annotation||pod",
            "deployment_annotation|app.version||deployment", "$1||custom\\.(.*)|pod",
            "$1||(.*)|pod"); // $$1 is the Collector's escape for a literal $1
    assertThat(complete.extract.labels).extracting(r -> r.from)
        .containsExactly("pod", "namespace", "pod", "pod", "pod");
    assertThat(complete.filter.node).isEqualTo("node-1");
    assertThat(complete.filter.nodeFromEnvVar).isEqualTo("KUBE_NODE_NAME");
    assertThat(complete.filter.fields).extracting(f -> f.key + f.op)
        .containsExactly("spec.nodeNameequals", "status.phaseequals");
    assertThat(complete.filter.labels).extracting(f -> f.key + "=" + f.value + " " + f.op)
        .containsExactly("app=my-app equals", "environment=production equals",
            "monitoring= exists");
    assertThat(complete.podAssociation).extracting(a -> a.sources.size())
        .containsExactly(1, 1, 2, 1);
    assertThat(complete.exclude.pods).extracting(e -> e.name)
        .containsExactly("jaeger-agent", "jaeger-collector");
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
    // to it; the annotations become attributes of their own names; the pod's only container
    // gives the instance ID.
    assertThat(rs.get(0)).isEqualTo(Map.of("k8s.pod.ip", "10.0.0.6",
        "service.namespace", "shop", "service.name", "opentelemetry-collector",
        "service.version", "2.3.1", "deployment.environment.name", "prod",
        "service.instance.id", "shop.opentelemetry-collector-6c45f8d6f6-x.otelcol"));
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
    cluster.pod(new PodBuilder().withNewMetadata().withName("db").withNamespace("shop")
        .endMetadata().withNewSpec().withNodeName("worker-2").endSpec()
        .withNewStatus().withPodIP("10.0.0.9").endStatus().build());
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    // The mock ignores the spec.nodeName selector (MockCluster); the processor's own check of
    // each pod is what keeps worker-2's out here.
    var p = start(example("k8s_attributes/agent"), out, Map.of("KUBE_NODE_NAME", "worker-1"));
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.0.0.7")),
        () -> p.consume(spans(resource()))).join();
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.0.0.9")),
        () -> p.consume(spans(resource()))).join();
    assertThat(only(resources(out.batches().get(0)))).containsEntry("k8s.pod.name", "web")
        .containsEntry("k8s.namespace.name", "shop").containsEntry("k8s.node.name", "worker-1")
        .containsEntry("k8s.pod.ip", "10.0.0.7");
    assertThat(only(resources(out.batches().get(1)))).isEqualTo(Map.of("k8s.pod.ip",
        "10.0.0.9"));
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

  private static final Map<String, String> SELECTED = Map.of("app", "my-app", "environment",
      "production", "monitoring", "true");
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  /** A pod of the complete example's namespace and node, running, with the given labels. */
  private Pod selectedPod(String name, String uid, String ip, Map<String, String> labels,
      Map<String, String> annotations, String ownerKind, String owner, String ownerUid,
      String container, String image, String imageId, int restarts) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("my-namespace")
        .withUid(uid).withLabels(labels).withAnnotations(annotations)
        .withCreationTimestamp("2026-11-28T09:00:00Z").endMetadata()
        .withNewSpec().withNodeName("node-1").addNewContainer().withName(container)
        .withImage(image).endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).addNewContainerStatus()
        .withName(container).withContainerID("containerd://c-" + uid).withImageID(imageId)
        .withRestartCount(restarts).endContainerStatus().endStatus();
    if (owner != null) {
      b.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind)
          .withName(owner).withUid(ownerUid).withController(true).endOwnerReference()
          .endMetadata();
    }
    return cluster.pod(b.build());
  }

  /**
   * The README's "Complete Configuration Options", every key of it set: a Deployment's pod and a
   * CronJob's pod that pass all its filters get every attribute its metadata, label and
   * annotation rules list; a pod its exclude names and one its label filter leaves out get
   * nothing; a resource naming an earlier run of a container gets no container ID.
   */
  @Test
  void completeConfigurationExampleAddsEveryAttributeItLists() throws Exception {
    // The mock API server gives each object its own UID, as a real one does.
    String clusterUid = cluster.namespace("kube-system", Map.of(), Map.of()).getMetadata()
        .getUid();
    cluster.namespace("my-namespace", Map.of("environment", "staging"), Map.of());
    String nodeUid = cluster.node("node-1", "node-uid-1", Map.of()).getMetadata().getUid();
    String deploymentUid = cluster.deployment("my-namespace", "shop-api", "deploy-shop-api",
        Map.of(), Map.of("app.version", "2.0.1")).getMetadata().getUid();
    String rsUid = cluster.replicaSet("my-namespace", "shop-api-6c45f8d6f6", "Deployment",
        "shop-api", deploymentUid).getMetadata().getUid();
    String jobUid = cluster.job("my-namespace", "nightly-report-29000000", "job-nightly",
        "nightly-report", "cronjob-nightly", Map.of()).getMetadata().getUid();
    Pod api = selectedPod("shop-api-6c45f8d6f6-x2x9k", "pod-api", "10.1.0.5",
        Telemetry.merged(SELECTED, Map.of("my-label", "blue", "app.tier", "web",
            "environment.zone", "eu-1", "pod-template-hash", "6c45f8d6f6")),
        Map.of("my-annotation", "on-call", "custom.team", "payments",
            "resource.opentelemetry.io/deployment.environment.name", "prod"),
        "ReplicaSet", "shop-api-6c45f8d6f6", rsUid, "api",
        "ghcr.io/example/shop-api:2.0.1", "ghcr.io/example/shop-api@" + DIGEST, 2);
    Pod report = selectedPod("nightly-report-29000000-q7r2m", "pod-report", "10.1.0.6", SELECTED,
        Map.of(), "Job", "nightly-report-29000000", jobUid, "report", "busybox",
        "docker-pullable://busybox@" + DIGEST, 0);
    selectedPod("jaeger-agent", "pod-jaeger", "10.1.0.7", SELECTED, Map.of(), null, null, null,
        "agent", "jaegertracing/jaeger-agent:1.6", "", 0);
    selectedPod("debug", "pod-debug", "10.1.0.8", Map.of("app", "my-app", "environment",
        "production"), Map.of(), null, null, null, "sh", "busybox", "", 0);

    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    var p = start(example("k8s_attributes/complete"), out, Map.of("KUBE_NODE_NAME", "node-1"));
    p.consume(spans(resource("k8s.pod.ip", "10.1.0.5", "k8s.container.name", "api"),
        resource("k8s.pod.ip", "10.1.0.7"), resource("k8s.pod.ip", "10.1.0.8"),
        resource("k8s.pod.name", "shop-api-6c45f8d6f6-x2x9k", "k8s.namespace.name",
            "my-namespace", "k8s.container.name", "api", "k8s.container.restart_count", "1"),
        resource("k8s.pod.uid", api.getMetadata().getUid(), "k8s.container.name", "api",
            "k8s.container.restart_count", "2"))).join();
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.1.0.6")),
        () -> p.consume(spans(resource()))).join();

    List<Map<String, String>> rs = resources(out.batches().get(0));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.putAll(Map.of("k8s.pod.ip", "10.1.0.5", "k8s.container.name", "api",
        "k8s.namespace.name", "my-namespace", "k8s.pod.name", "shop-api-6c45f8d6f6-x2x9k",
        "k8s.pod.uid", api.getMetadata().getUid(), "k8s.pod.start_time",
        api.getMetadata().getCreationTimestamp(), "k8s.deployment.name", "shop-api",
        "k8s.deployment.uid", deploymentUid, "k8s.replicaset.name", "shop-api-6c45f8d6f6",
        "k8s.replicaset.uid", rsUid));
    expected.putAll(Map.of("k8s.node.name", "node-1", "k8s.node.uid", nodeUid,
        "k8s.cluster.uid", clusterUid, "container.id", "c-pod-api",
        "container.image.name", "ghcr.io/example/shop-api", "container.image.tag", "2.0.1",
        "container.image.repo_digests", "", // an array: checked below
        "service.namespace", "my-namespace", "service.name", "shop-api",
        "service.version", "2.0.1"));
    expected.putAll(Map.of("service.instance.id", "my-namespace.shop-api-6c45f8d6f6-x2x9k.api",
        // annotations: by key, by regex group, every one by its own key, otel_annotations
        "annotation_value", "on-call", "deployment_annotation", "2.0.1", "team", "payments",
        "my-annotation", "on-call", "custom.team", "payments",
        "resource.opentelemetry.io/deployment.environment.name", "prod",
        "deployment.environment.name", "prod"));
    expected.putAll(Map.of(
        // labels: by key, from the namespace, by regex group, default name, every one
        "label_value", "blue", "namespace_label", "staging", "tier", "web",
        "k8s.pod.labels.environment.zone", "eu-1", "app", "my-app", "environment",
        "production", "monitoring", "true", "my-label", "blue", "app.tier", "web",
        "environment.zone", "eu-1"));
    expected.put("pod-template-hash", "6c45f8d6f6");
    assertThat(rs.get(0)).isEqualTo(expected);
    assertThat(out.batches().get(0).getResourceSpans(0).getResource().getAttributesList())
        .filteredOn(kv -> kv.getKey().equals("container.image.repo_digests")).singleElement()
        .satisfies(kv -> assertThat(kv.getValue().getArrayValue().getValuesList())
            .extracting(v -> v.getStringValue())
            .containsExactly("ghcr.io/example/shop-api@" + DIGEST));

    // exclude::pods and filter::labels (monitoring: exists) leave these pods out.
    assertThat(rs.get(1)).isEqualTo(Map.of("k8s.pod.ip", "10.1.0.7"));
    assertThat(rs.get(2)).isEqualTo(Map.of("k8s.pod.ip", "10.1.0.8"));
    // Found by name and namespace; restart 1 is not the running instance (2): no container ID.
    assertThat(rs.get(3)).containsEntry("k8s.pod.uid", api.getMetadata().getUid())
        .containsEntry("container.image.tag", "2.0.1").doesNotContainKey("container.id")
        .doesNotContainKey("container.image.repo_digests");
    assertThat(rs.get(4)).containsEntry("k8s.pod.name", "shop-api-6c45f8d6f6-x2x9k")
        .containsEntry("container.id", "c-pod-api");

    // The CronJob's pod by the connection: the Job and its CronJob (the Job's owner), and the
    // CronJob's name as service.name.
    assertThat(only(resources(out.batches().get(1)))).containsAllEntriesOf(Map.of(
        "k8s.pod.ip", "10.1.0.6", "k8s.pod.uid", report.getMetadata().getUid(),
        "k8s.job.name", "nightly-report-29000000", "k8s.job.uid", jobUid,
        "k8s.cronjob.name", "nightly-report", "k8s.cronjob.uid", "cronjob-nightly",
        "service.name", "nightly-report", "k8s.cluster.uid", clusterUid,
        "namespace_label", "staging", "k8s.node.uid", nodeUid))
        // its only container, though the resource names none; its image ID has the runtime's
        // scheme, so is no canonical reference: no repo digest
        .containsEntry("k8s.container.name", "report")
        .containsEntry("container.id", "c-pod-report")
        .doesNotContainKeys("k8s.deployment.name", "container.image.repo_digests");
  }

  /** The README's benchmark configuration is the default metadata. */
  @Test
  void benchmarkExampleIsTheDefaultMetadata() {
    assertThat(example("k8s_attributes/benchmark").extract.metadata)
        .isEqualTo(K8sAttributesConfig.DEFAULT_METADATA);
  }
}
