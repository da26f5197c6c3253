package io.vigil.processor.k8sattributes;

import static io.vigil.processor.k8sattributes.Telemetry.config;
import static io.vigil.processor.k8sattributes.Telemetry.create;
import static io.vigil.processor.k8sattributes.Telemetry.logs;
import static io.vigil.processor.k8sattributes.Telemetry.metrics;
import static io.vigil.processor.k8sattributes.Telemetry.only;
import static io.vigil.processor.k8sattributes.Telemetry.resource;
import static io.vigil.processor.k8sattributes.Telemetry.resources;
import static io.vigil.processor.k8sattributes.Telemetry.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.ClientInfo;
import io.vigil.core.Signal;
import io.vigil.core.component.Processor;
import io.vigil.testing.RecordingConsumer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor against fabric8's mock API server in CRUD mode: objects created there reach the
 * processor through its informers, and the spans, logs and metrics it is sent come out with the
 * pod's attributes.
 */
class K8sAttributesProcessorTest {

  @TempDir Path dir;
  private MockCluster cluster;
  private final List<Processor<?>> started = new ArrayList<>();
  private Pod checkout;

  @BeforeEach
  void cluster() {
    cluster = new MockCluster(dir);
    cluster.namespace("shop", Map.of("team", "payments"), Map.of("owner", "sre@example.com"));
    cluster.replicaSet("shop", "checkout", "7d4b9c8f6");
    checkout = cluster.deploymentPod("shop", "checkout", "7d4b9c8f6", "x2k9p", "10.1.2.3",
        "worker-1", Map.of("app.kubernetes.io/component", "api"));
  }

  @AfterEach
  void stop() {
    // The mock server first: closing its watches from the client side can stall the mock's
    // event loop (its watch listener waits on its own executor there), the server side cannot.
    cluster.close();
    started.forEach(p -> p.shutdown(Instant.now().plusSeconds(1)));
  }

  private String kubeConfig() {
    return "auth_type: kubeConfig\nkube_config_path: " + cluster.kubeconfig + "\n";
  }

  private <T extends com.google.protobuf.Message> RecordingConsumer<T> start(
      K8sAttributesProcessorFactory f, String yaml, Signal<T> signal, List<Processor<T>> out)
      throws Exception {
    RecordingConsumer<T> next = new RecordingConsumer<>();
    Processor<T> p = create(f, config("k8sattributes", yaml), signal, next);
    p.start();
    started.add(p);
    out.add(p);
    return next;
  }

  /** The default metadata of the checkout pod; the API server set its UID and creation time. */
  private Map<String, String> checkoutAttributes() {
    return Map.of(
        "k8s.pod.ip", "10.1.2.3",
        "k8s.namespace.name", "shop",
        "k8s.pod.name", "checkout-7d4b9c8f6-x2k9p",
        "k8s.pod.uid", checkout.getMetadata().getUid(),
        "k8s.pod.start_time", checkout.getMetadata().getCreationTimestamp(),
        "k8s.deployment.name", "checkout",
        "k8s.node.name", "worker-1");
  }

  @Test
  void spansLogsAndMetricsGetThePodsAttributesByItsIp() throws Exception {
    String yaml = kubeConfig() + """
        wait_for_metadata: true
        extract:
          metadata: [k8s.namespace.name, k8s.pod.name, k8s.pod.uid, k8s.pod.start_time,
                     k8s.deployment.name, k8s.replicaset.name, k8s.node.name]
          labels:
            - {tag_name: component, key: app.kubernetes.io/component, from: pod}
            - {tag_name: team, key: team, from: namespace}
          annotations:
            - {key: owner, from: namespace}
        pod_association:
          - sources: [{from: resource_attribute, name: k8s.pod.ip}]
        """;
    K8sAttributesProcessorFactory f = new K8sAttributesProcessorFactory();
    List<Processor<ExportTraceServiceRequest>> tp = new ArrayList<>();
    List<Processor<ExportLogsServiceRequest>> lp = new ArrayList<>();
    List<Processor<ExportMetricsServiceRequest>> mp = new ArrayList<>();
    var traces = start(f, yaml, Signal.TRACES, tp);
    var logs = start(f, yaml, Signal.LOGS, lp);
    var metrics = start(f, yaml, Signal.METRICS, mp);

    var r = resource("service.name", "checkout", "k8s.pod.ip", "10.1.2.3");
    tp.get(0).consume(spans(r, resource("k8s.pod.ip", "10.9.9.9"))).join();
    lp.get(0).consume(logs(r)).join();
    mp.get(0).consume(metrics(r)).join();

    Map<String, String> expected = new java.util.HashMap<>(checkoutAttributes());
    expected.put("service.name", "checkout");
    expected.put("k8s.replicaset.name", "checkout-7d4b9c8f6");
    expected.put("component", "api");
    expected.put("team", "payments");
    expected.put("k8s.namespace.annotations.owner", "sre@example.com");
    List<Map<String, String>> spanResources = resources(traces.batches().get(0));
    assertThat(spanResources.get(0)).isEqualTo(expected);
    assertThat(spanResources.get(1)).as("an IP no pod has gets nothing")
        .isEqualTo(Map.of("k8s.pod.ip", "10.9.9.9"));
    assertThat(only(resources(logs.batches().get(0)))).isEqualTo(expected);
    assertThat(only(resources(metrics.batches().get(0)))).isEqualTo(expected);
  }

  @Test
  void theConnectionsPeerAddressFindsThePodAndSetsItsIp() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig() + """
        wait_for_metadata: true
        pod_association:
          - sources: [{from: connection}]
        """, Signal.TRACES, p);
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.1.2.3")),
        () -> p.get(0).consume(spans(resource("service.name", "checkout")))).join();
    p.get(0).consume(spans(resource("service.name", "no-connection"))).join();

    assertThat(only(resources(out.batches().get(0))))
        .isEqualTo(Telemetry.merged(Map.of("service.name", "checkout"), checkoutAttributes()));
    assertThat(only(resources(out.batches().get(1))))
        .isEqualTo(Map.of("service.name", "no-connection"));
  }

  @Test
  void withoutRulesThePodIpAttributeThenTheConnectionIsUsed() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig()
        + "wait_for_metadata: true\n", Signal.TRACES, p);
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.1.2.3")),
        () -> p.get(0).consume(spans(resource()))).join();
    p.get(0).consume(spans(resource("k8s.pod.ip", "10.1.2.3"))).join();
    assertThat(only(resources(out.batches().get(0)))).isEqualTo(checkoutAttributes());
    assertThat(only(resources(out.batches().get(1)))).isEqualTo(checkoutAttributes());
  }

  @Test
  void aPodCreatedAfterStartIsPickedUpByTheInformer() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig()
        + "wait_for_metadata: true\n", Signal.TRACES, p);
    cluster.deploymentPod("shop", "checkout", "7d4b9c8f6", "late1", "10.1.2.77", "worker-2",
        Map.of());
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(
        () -> {
          out.clear();
          p.get(0).consume(spans(resource("k8s.pod.ip", "10.1.2.77"))).join();
          assertThat(only(resources(out.batches().get(0))))
              .containsEntry("k8s.pod.name", "checkout-7d4b9c8f6-late1")
              .containsEntry("k8s.node.name", "worker-2");
        });
  }

  @Test
  void aDeletedPodStillResolvesDuringTheGracePeriodAndIsForgottenAfter() throws Exception {
    Duration grace = Duration.ofMillis(1500);
    K8sAttributesProcessorFactory f = new K8sAttributesProcessorFactory(Map.of(), grace);
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(f, kubeConfig() + "wait_for_metadata: true\n", Signal.TRACES, p);
    long deletedAt = System.nanoTime();
    cluster.delete(checkout);

    // Telemetry the pod sent just before it went still gets its attributes...
    p.get(0).consume(spans(resource("k8s.pod.ip", "10.1.2.3"))).join();
    boolean withinGrace = System.nanoTime() - deletedAt < grace.toNanos();
    if (withinGrace) {
      assertThat(only(resources(out.batches().get(0)))).isEqualTo(checkoutAttributes());
    }
    // ...and once the grace period is over the pod is forgotten.
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(
        () -> {
          out.clear();
          p.get(0).consume(spans(resource("k8s.pod.ip", "10.1.2.3"))).join();
          assertThat(only(resources(out.batches().get(0))))
              .isEqualTo(Map.of("k8s.pod.ip", "10.1.2.3"));
        });
    assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isGreaterThanOrEqualTo(grace);
  }

  @Test
  void aDeletedPodResolvesForTheCollectorsTwoMinutesByDefault() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig()
        + "wait_for_metadata: true\n", Signal.TRACES, p);
    cluster.delete(checkout);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> cluster.kube.pods().inNamespace("shop").withName(checkout.getMetadata().getName())
            .get() == null);
    // The informer has had the delete event's round trip; the pod is still found.
    for (int i = 0; i < 5; i++) {
      p.get(0).consume(spans(resource("k8s.pod.ip", "10.1.2.3"))).join();
    }
    assertThat(out.batches()).allSatisfy(b -> assertThat(only(resources(b))).isEqualTo(checkoutAttributes()));
  }

  @Test
  void passthroughOnlyAddsThePodIpAndNeedsNoApiServer() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    // No kubeconfig, no in-cluster service account: passthrough never builds a client.
    var out = start(new K8sAttributesProcessorFactory(), "passthrough: true\n", Signal.TRACES, p);
    ClientInfo.callWith(ClientInfo.of(InetAddress.getByName("10.1.2.3")),
        () -> p.get(0).consume(spans(resource("service.name", "checkout")))).join();
    p.get(0).consume(spans(resource("service.name", "direct"))).join();
    assertThat(only(resources(out.batches().get(0))))
        .isEqualTo(Map.of("service.name", "checkout", "k8s.pod.ip", "10.1.2.3"));
    assertThat(only(resources(out.batches().get(1)))).isEqualTo(Map.of("service.name", "direct"));
  }

  @Test
  void anAttributeTheSenderSetIsKept() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig()
        + "wait_for_metadata: true\n", Signal.TRACES, p);
    var in = spans(resource("k8s.pod.ip", "10.1.2.3", "k8s.deployment.name", "checkout-canary",
        "k8s.node.name", ""));
    p.get(0).consume(in).join();
    assertThat(only(resources(out.batches().get(0))))
        .containsEntry("k8s.deployment.name", "checkout-canary")
        .containsEntry("k8s.node.name", "worker-1");
  }

  @Test
  void aBatchNoPodMatchesIsHandedOnAsTheSameObject() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig() + """
        wait_for_metadata: true
        pod_association:
          - sources: [{from: resource_attribute, name: k8s.pod.uid}]
        """, Signal.TRACES, p);
    var in = spans(resource("service.name", "x"));
    p.get(0).consume(in).join();
    assertThat(out.batches().get(0)).isSameAs(in);
  }

  @Test
  void podsOutsideTheFilteredNamespaceAreNotHeld() throws Exception {
    cluster.namespace("other", Map.of(), Map.of());
    cluster.replicaSet("other", "batch", "5f5f5f5f5");
    cluster.deploymentPod("other", "batch", "5f5f5f5f5", "aaaaa", "10.7.7.7", "worker-1",
        Map.of());
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig() + """
        wait_for_metadata: true
        filter: {namespace: shop}
        """, Signal.TRACES, p);
    p.get(0).consume(spans(resource("k8s.pod.ip", "10.7.7.7"),
        resource("k8s.pod.ip", "10.1.2.3"))).join();
    List<Map<String, String>> rs = resources(out.batches().get(0));
    assertThat(rs.get(0)).isEqualTo(Map.of("k8s.pod.ip", "10.7.7.7"));
    assertThat(rs.get(1)).isEqualTo(checkoutAttributes());
  }

  @Test
  void aNodeFilterFromTheEnvironmentIsSentAsTheInformersFieldSelector() throws Exception {
    // The mock server cannot evaluate spec.nodeName selectors (a real one does): the test reads
    // the selector off the informer's requests; PodFilterTest checks the pods it lets through.
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var f = new K8sAttributesProcessorFactory(Map.of("KUBE_NODE_NAME", "worker-1"),
        K8sAttributesProcessorFactory.DELETE_GRACE);
    start(f, kubeConfig() + """
        filter:
          node_from_env_var: KUBE_NODE_NAME
          labels: [{key: app.kubernetes.io/component, op: exists}]
        """, Signal.TRACES, p);
    List<String> paths = new ArrayList<>();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
      var r = cluster.server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (r != null) {
        paths.add(java.net.URLDecoder.decode(r.getPath(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return paths.stream().anyMatch(x -> x.startsWith("/api/v1/pods?"));
    });
    assertThat(paths).filteredOn(x -> x.startsWith("/api/v1/pods?")).first().asString()
        .contains("fieldSelector=spec.nodeName=worker-1")
        .contains("labelSelector=app.kubernetes.io/component");
  }

  @Test
  void deploymentNameFromReplicasetStripsTheHashWithoutWatchingReplicaSets() throws Exception {
    // A ReplicaSet with no Deployment owner: only the name tells the deployment here.
    cluster.pod(new PodBuilder(checkout).editMetadata().withName("web-6c45f8d6f6-q")
        .withUid("pod-web").withResourceVersion(null).withOwnerReferences().addNewOwnerReference()
        .withKind("ReplicaSet").withName("web-6c45f8d6f6").withUid("rs-web").endOwnerReference()
        .endMetadata().editStatus().withPodIP("10.1.2.9").endStatus().build());
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig() + """
        wait_for_metadata: true
        extract:
          metadata: [k8s.pod.name, k8s.deployment.name]
          deployment_name_from_replicaset: true
        """, Signal.TRACES, p);
    p.get(0).consume(spans(resource("k8s.pod.ip", "10.1.2.9"))).join();
    assertThat(only(resources(out.batches().get(0)))).isEqualTo(Map.of("k8s.pod.ip",
        "10.1.2.9", "k8s.pod.name", "web-6c45f8d6f6-q", "k8s.deployment.name", "web"));
  }

  @Test
  void containerAttributesComeFromTheContainerTheResourceNames() throws Exception {
    List<Processor<ExportTraceServiceRequest>> p = new ArrayList<>();
    var out = start(new K8sAttributesProcessorFactory(), kubeConfig() + """
        wait_for_metadata: true
        extract:
          metadata: [k8s.pod.name, k8s.container.name, container.id, container.image.name,
                     container.image.tag]
        pod_association:
          - sources: [{from: resource_attribute, name: container.id}]
          - sources: [{from: resource_attribute, name: k8s.pod.ip}]
        """, Signal.TRACES, p);
    p.get(0).consume(spans(resource("container.id", "c0ffeex2k9p"),
        resource("k8s.pod.ip", "10.1.2.3", "k8s.container.name", "app"))).join();
    List<Map<String, String>> rs = resources(out.batches().get(0));
    assertThat(rs.get(0)).isEqualTo(Map.of("container.id", "c0ffeex2k9p",
        "k8s.pod.name", "checkout-7d4b9c8f6-x2k9p", "k8s.container.name", "app",
        "container.image.name", "ghcr.io/example/checkout", "container.image.tag", "1.4.2"));
    assertThat(rs.get(1)).containsEntry("container.id", "c0ffeex2k9p")
        .containsEntry("container.image.tag", "1.4.2");
  }

  @Test
  void waitForMetadataFailsStartWhenTheApiServerCannotBeReached() throws Exception {
    java.nio.file.Files.writeString(cluster.kubeconfig, java.nio.file.Files
        .readString(cluster.kubeconfig).replace(":" + cluster.server.getPort(),
            ":" + io.vigil.testing.FreePort.pick()));
    Processor<ExportTraceServiceRequest> p = create(new K8sAttributesProcessorFactory(),
        config("k8sattributes", kubeConfig() + """
            wait_for_metadata: true
            wait_for_metadata_timeout: 500ms
            """), Signal.TRACES, new RecordingConsumer<>());
    long t0 = System.nanoTime();
    assertThatThrownBy(p::start).hasMessageContaining("wait_for_metadata_timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void theDefaultServiceAccountAuthOutsideAPodFailsStartSayingWhatToUse() {
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(
        Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")), "running in a pod");
    Processor<ExportTraceServiceRequest> p = create(new K8sAttributesProcessorFactory(),
        config("k8sattributes", ""), Signal.TRACES, new RecordingConsumer<>());
    assertThatThrownBy(p::start)
        .isInstanceOfSatisfying(io.vigil.core.config.ConfigException.class, e -> {
          assertThat(e.keyPath()).isEqualTo("auth_type");
          assertThat(e.getMessage()).contains("auth_type: kubeConfig");
        });
  }

  @Test
  void theInstancesOfOneProcessorInSeveralPipelinesWatchTheClusterOnce() throws Exception {
    K8sAttributesConfig c = config("k8sattributes", kubeConfig() + "wait_for_metadata: true\n");
    K8sAttributesProcessorFactory f = new K8sAttributesProcessorFactory();
    var traces = new RecordingConsumer<ExportTraceServiceRequest>();
    var logs = new RecordingConsumer<ExportLogsServiceRequest>();
    Processor<ExportTraceServiceRequest> tp = create(f, c, Signal.TRACES, traces);
    Processor<ExportLogsServiceRequest> lp = create(f, c, Signal.LOGS, logs);
    tp.start();
    started.add(tp);
    lp.start();
    started.add(lp);

    lp.consume(logs(resource("k8s.pod.ip", "10.1.2.3"))).join();
    assertThat(only(resources(logs.batches().get(0)))).isEqualTo(checkoutAttributes());
    List<String> podLists = new ArrayList<>();
    for (var r = cluster.server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        r != null; r = cluster.server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (r.getPath().startsWith("/api/v1/pods?") && !r.getPath().contains("watch=true")) {
        podLists.add(r.getPath());
      }
    }
    assertThat(podLists).as("pod LIST requests of both instances").hasSize(1);

    // The informers stay up until the last instance shuts down.
    tp.shutdown(Instant.now().plusSeconds(1));
    cluster.deploymentPod("shop", "checkout", "7d4b9c8f6", "after", "10.1.2.88", "worker-1",
        Map.of());
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(
        () -> {
          logs.clear();
          lp.consume(logs(resource("k8s.pod.ip", "10.1.2.88"))).join();
          assertThat(only(resources(logs.batches().get(0))))
              .containsEntry("k8s.pod.name", "checkout-7d4b9c8f6-after");
        });
  }
}
