package io.vigil.processor.k8sattributes;

import static io.vigil.processor.k8sattributes.Telemetry.config;
import static io.vigil.processor.k8sattributes.Telemetry.create;
import static io.vigil.processor.k8sattributes.Telemetry.only;
import static io.vigil.processor.k8sattributes.Telemetry.resource;
import static io.vigil.processor.k8sattributes.Telemetry.resources;
import static io.vigil.processor.k8sattributes.Telemetry.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.Processor;
import io.vigil.testing.RecordingConsumer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label and annotation rules {@code from: deployment | statefulset | daemonset | job}, and which
 * kinds the processor lists and watches: only those the config needs, as the Collector decides.
 */
class WorkloadRulesTest {

  @TempDir Path dir;
  private MockCluster cluster;
  private final List<Processor<?>> started = new ArrayList<>();

  @BeforeEach
  void cluster() {
    cluster = new MockCluster(dir);
    cluster.namespace("shop", Map.of(), Map.of());
  }

  @AfterEach
  void stop() {
    cluster.close();
    started.forEach(p -> p.shutdown(Instant.now().plusSeconds(1)));
  }

  private RecordingConsumer<ExportTraceServiceRequest> start(String yaml) throws Exception {
    var out = new RecordingConsumer<ExportTraceServiceRequest>();
    Processor<ExportTraceServiceRequest> p = create(new K8sAttributesProcessorFactory(),
        config("k8sattributes", "auth_type: kubeConfig\nkube_config_path: "
            + cluster.kubeconfig + "\nwait_for_metadata: true\n" + yaml), Signal.TRACES, out);
    p.start();
    started.add(p);
    return out;
  }

  @SuppressWarnings("unchecked")
  private Processor<ExportTraceServiceRequest> last() {
    return (Processor<ExportTraceServiceRequest>) started.get(started.size() - 1);
  }

  /** The paths the processor has listed or watched so far (the test's own writes left out). */
  private List<String> readPaths() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      var r = cluster.server.takeRequest(200, TimeUnit.MILLISECONDS);
      if (r == null) {
        break;
      }
      if (r.getMethod().equals("GET")) {
        String p = URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8);
        paths.add(p.contains("?") ? p.substring(0, p.indexOf('?')) : p);
      }
    }
    return paths;
  }

  @Test
  void statefulSetDaemonSetAndJobRulesTakeTheOwnersLabelsUnderTheirDefaultNames()
      throws Exception {
    String ssUid = cluster.kube.apps().statefulSets().inNamespace("shop").resource(
        new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace("shop")
            .addToLabels("tier", "data").addToAnnotations("backup", "nightly").endMetadata()
            .build()).create().getMetadata().getUid();
    String dsUid = cluster.kube.apps().daemonSets().inNamespace("shop").resource(
        new DaemonSetBuilder().withNewMetadata().withName("log-shipper").withNamespace("shop")
            .addToLabels("tier", "infra").endMetadata().build()).create().getMetadata()
        .getUid();
    String jobUid = cluster.job("shop", "migrate", "job-migrate", null, null,
        Map.of("tier", "batch")).getMetadata().getUid();
    owned("db-0", "10.2.0.1", "StatefulSet", "db", ssUid);
    owned("log-shipper-x7k", "10.2.0.2", "DaemonSet", "log-shipper", dsUid);
    owned("migrate-q2w", "10.2.0.3", "Job", "migrate", jobUid);

    var out = start("""
        extract:
          metadata: [k8s.pod.name]
          labels:
            - {key: tier, from: statefulset}
            - {key: tier, from: daemonset}
            - {tag_name: batch_tier, key: tier, from: job}
          annotations:
            - {key_regex: 'back(.*)', tag_name: 'b.$1', from: statefulset}
        """);
    last().consume(spans(resource("k8s.pod.ip", "10.2.0.1"), resource("k8s.pod.ip", "10.2.0.2"),
        resource("k8s.pod.ip", "10.2.0.3"),
        // An agent's resource naming the StatefulSet by UID, its pod not found here.
        resource("k8s.statefulset.uid", ssUid))).join();

    List<Map<String, String>> rs = resources(out.batches().get(0));
    assertThat(rs.get(0)).isEqualTo(Map.of("k8s.pod.ip", "10.2.0.1", "k8s.pod.name", "db-0",
        "k8s.statefulset.label.tier", "data", "b.up", "nightly"));
    assertThat(rs.get(1)).isEqualTo(Map.of("k8s.pod.ip", "10.2.0.2",
        "k8s.pod.name", "log-shipper-x7k", "k8s.daemonset.label.tier", "infra"));
    assertThat(rs.get(2)).isEqualTo(Map.of("k8s.pod.ip", "10.2.0.3",
        "k8s.pod.name", "migrate-q2w", "batch_tier", "batch"));
    assertThat(rs.get(3)).isEqualTo(Map.of("k8s.statefulset.uid", ssUid,
        "k8s.statefulset.label.tier", "data", "b.up", "nightly"));
  }

  private void owned(String pod, String ip, String kind, String owner, String ownerUid) {
    cluster.pod(new PodBuilder().withNewMetadata().withName(pod).withNamespace("shop")
        .addNewOwnerReference().withApiVersion(kind.equals("Job") ? "batch/v1" : "apps/v1")
        .withKind(kind).withName(owner).withUid(ownerUid).withController(true)
        .endOwnerReference().endMetadata().withNewStatus().withPodIP(ip).endStatus().build());
  }

  @Test
  void theDefaultConfigWatchesOnlyPodsAndReplicaSets() throws Exception {
    start("");
    assertThat(readPaths()).isNotEmpty().allSatisfy(p -> assertThat(p)
        .isIn("/api/v1/pods", "/apis/apps/v1/replicasets"));
  }

  @Test
  void eachKindIsWatchedOnlyForTheAttributesThatNeedIt() throws Exception {
    start("""
        filter: {namespace: shop}
        extract:
          metadata: [k8s.pod.name, k8s.cronjob.uid, k8s.cluster.uid, k8s.node.uid]
          deployment_name_from_replicaset: true
          annotations:
            - {key: owner, from: deployment}
        """);
    assertThat(readPaths()).contains("/api/v1/namespaces/shop/pods",
        "/apis/batch/v1/namespaces/shop/jobs", "/apis/apps/v1/namespaces/shop/deployments",
        "/apis/apps/v1/namespaces/shop/replicasets", "/api/v1/namespaces", "/api/v1/nodes")
        .noneMatch(p -> p.contains("statefulsets") || p.contains("daemonsets"));
  }

  @Test
  void ownerNamesNeedNoWorkloadWatchAndTheCronJobNameComesFromTheJobsName() throws Exception {
    var out = start("""
        extract:
          metadata: [k8s.pod.name, k8s.statefulset.name, k8s.daemonset.uid, k8s.job.name,
                     k8s.cronjob.name]
        """);
    assertThat(readPaths()).isNotEmpty().allSatisfy(p -> assertThat(p).isEqualTo(
        "/api/v1/pods"));
    cluster.pod(new PodBuilder().withNewMetadata().withName("report-29000000-x")
        .withNamespace("shop").addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
        .withName("report-29000000").withUid("j1").endOwnerReference().endMetadata()
        .withNewStatus().withPodIP("10.2.0.9").endStatus().build());
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      int n = out.batches().size();
      last().consume(spans(resource("k8s.pod.ip", "10.2.0.9"))).join();
      return only(resources(out.batches().get(n))).containsKey("k8s.pod.name");
    });
    assertThat(only(resources(out.batches().get(out.batches().size() - 1)))).isEqualTo(Map.of(
        "k8s.pod.ip", "10.2.0.9", "k8s.pod.name", "report-29000000-x",
        "k8s.job.name", "report-29000000", "k8s.cronjob.name", "report"));
  }
}
