package io.vigil.processor.k8sattributes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.ClientInfo;
import io.vigil.processor.k8sattributes.internal.Association;
import io.vigil.processor.k8sattributes.internal.ClusterObjects;
import io.vigil.processor.k8sattributes.internal.ExtractionRules;
import io.vigil.processor.k8sattributes.internal.OwnerLookup;
import io.vigil.processor.k8sattributes.internal.PodExtractor;
import io.vigil.processor.k8sattributes.internal.PodFilter;
import io.vigil.processor.k8sattributes.internal.PodRecord;
import io.vigil.processor.k8sattributes.internal.PodTable;
import io.vigil.processor.k8sattributes.internal.ResourceEnricher;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random pods (missing fields, odd names, owner references, Jobs and their CronJobs,
 * images and image IDs, init containers, restart counts, IPs, labels) with every metadata name
 * and rule kind (pod, namespace, node and workload labels and annotations), and random
 * resources through extraction, the table and the enrichment: never an exception, and never an
 * attribute of the sender's lost or overwritten (only empty ones are filled in).
 */
class K8sAttributesFuzzTest {

  private static final long SEED = 27L;
  private static final String[] WORDS = {"", "a", "checkout", "7d4b9c8f6", "-", "--", "a-b-c",
      "x:y", "ns/name", "日本", "resource.opentelemetry.io/service.name",
      "resource.opentelemetry.io/", "app.kubernetes.io/name", "pod-template-hash", "$1", "\u0000"};
  private static final String[] IPS = {"10.0.0.1", "10.0.0.2", "::1", "fe80::1", "", "not-an-ip",
      "256.1.1.1", "10.0.0.1 "};
  private static final String[] IMAGES = {"", "nginx", "nginx:1.25", "ghcr.io/a/b:1@sha256:ab",
      "localhost:5000/x", "@sha256:x", ":", "a:b:c", "registry:5000/a/b", "/"};
  private static final String[] KINDS = {"ReplicaSet", "DaemonSet", "StatefulSet", "Job",
      "CronJob", "Deployment", "", "Unknown"};
  /** Container status image IDs: canonical, bare digests, runtime schemes, malformed. */
  private static final String[] IMAGE_IDS = {"", "nginx@sha256:" + "a".repeat(64),
      "ghcr.io/a/b:1@sha256:" + "0".repeat(64), "docker-pullable://nginx@sha256:" + "b".repeat(64),
      "sha256:" + "c".repeat(64), "d".repeat(64), "nginx@sha256:abc", "NGINX@sha256:"
      + "e".repeat(64), "localhost:5000/x@sha512:" + "f".repeat(128), "@sha256:", "a@b:c",
      "x".repeat(2000) + "@sha256:" + "a".repeat(64)};
  /** Job names, some as a CronJob names them. */
  private static final String[] JOBS = {"report-29000000", "report-", "-1", "29000000", "a-b-7",
      "migrate"};

  private static String pick(Random r, String[] a) {
    return r.nextInt(8) == 0 ? null : a[r.nextInt(a.length)];
  }

  private static Map<String, String> map(Random r) {
    if (r.nextInt(6) == 0) {
      return null;
    }
    Map<String, String> m = new HashMap<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      String k = WORDS[r.nextInt(WORDS.length)];
      m.put(k, WORDS[r.nextInt(WORDS.length)]);
    }
    return m;
  }

  private static Pod pod(Random r, int i) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(pick(r, WORDS))
        .withNamespace(pick(r, WORDS)).withUid(r.nextInt(5) == 0 ? null : "uid-" + i % 40)
        .withLabels(map(r)).withAnnotations(map(r))
        .withCreationTimestamp(r.nextBoolean() ? "2026-01-01T00:00:00Z" : null).endMetadata();
    for (int o = r.nextInt(3); o > 0; o--) {
      b.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder()
          .withKind(pick(r, KINDS)).withName(r.nextBoolean() ? pick(r, JOBS) : pick(r, WORDS))
          .withUid(pick(r, WORDS)).build())
          .endMetadata();
    }
    if (r.nextInt(5) > 0) {
      b.withNewSpec().withNodeName(pick(r, WORDS)).withHostname(pick(r, WORDS))
          .withHostNetwork(r.nextInt(6) == 0 ? Boolean.TRUE : null).endSpec();
      for (int c = r.nextInt(3); c > 0; c--) {
        b.editSpec().addToContainers(new ContainerBuilder().withName(pick(r, WORDS))
            .withImage(pick(r, IMAGES)).build()).endSpec();
      }
      if (r.nextInt(4) == 0) {
        b.editSpec().addToInitContainers(new ContainerBuilder().withName(pick(r, WORDS))
            .withImage(pick(r, IMAGES)).build()).endSpec();
      }
    }
    if (r.nextInt(5) > 0) {
      b.withNewStatus().withPodIP(pick(r, IPS)).withPhase(pick(r, WORDS)).endStatus();
      for (int c = r.nextInt(3); c > 0; c--) {
        var st = new ContainerStatusBuilder()
            .withName(pick(r, WORDS)).withContainerID(r.nextBoolean() ? null
                : (r.nextBoolean() ? "containerd://" : "") + pick(r, WORDS))
            .withImageID(pick(r, IMAGE_IDS))
            .withRestartCount(r.nextInt(4) == 0 ? null : r.nextInt(3)).build();
        if (r.nextInt(4) == 0) {
          b.editStatus().addToInitContainerStatuses(st).endStatus();
        } else {
          b.editStatus().addToContainerStatuses(st).endStatus();
        }
      }
    }
    return b.build();
  }

  private static List<KeyValue> resource(Random r) {
    String[] keys = {"k8s.pod.ip", "ip", "host.name", "k8s.pod.uid", "k8s.pod.name",
        "k8s.namespace.name", "container.id", "k8s.container.name", "service.name",
        "k8s.deployment.name", "k8s.node.name", "k8s.container.restart_count",
        "k8s.deployment.uid", "k8s.statefulset.uid", "k8s.daemonset.uid", "k8s.job.uid",
        "container.image.repo_digests"};
    List<KeyValue> attrs = new ArrayList<>();
    for (int i = r.nextInt(6); i > 0; i--) {
      AnyValue.Builder v = AnyValue.newBuilder();
      switch (r.nextInt(5)) {
        case 0 -> v.setIntValue(r.nextLong());
        case 1 -> v.setBoolValue(r.nextBoolean());
        case 2 -> { }
        default -> v.setStringValue(r.nextBoolean() ? pick(r, IPS) == null ? "" : IPS[r.nextInt(
            IPS.length)] : WORDS[r.nextInt(WORDS.length)]);
      }
      attrs.add(KeyValue.newBuilder().setKey(keys[r.nextInt(keys.length)]).setValue(v).build());
    }
    return attrs;
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Test
  void randomPodsAndResourcesNeverCrashOrLoseTheSendersAttributes() throws Exception {
    Random r = new Random(SEED);
    String yaml = """
        extract:
          metadata: [k8s.namespace.name, k8s.pod.name, k8s.pod.uid, k8s.pod.hostname,
            k8s.pod.ip, k8s.pod.start_time, k8s.replicaset.name, k8s.replicaset.uid,
            k8s.deployment.name, k8s.deployment.uid, k8s.daemonset.name, k8s.statefulset.name,
            k8s.job.name, k8s.node.name, k8s.container.name, container.id,
            container.image.name, container.image.tag, service.namespace, service.name,
            service.version, service.instance.id, k8s.cronjob.name, k8s.cronjob.uid,
            k8s.cluster.uid, container.image.repo_digests, k8s.node.uid, k8s.statefulset.uid,
            k8s.daemonset.uid, k8s.job.uid]
          labels:
            - {key_regex: '(.*)', tag_name: 'l.$$1'}
            - {key: app.kubernetes.io/name}
            - {key: a, from: deployment}
            - {key_regex: '(.*)-(.*)', tag_name: 'ss.$$2.$$1', from: statefulset}
            - {key: checkout, from: namespace}
          annotations:
            - {key_regex: 'resource\\.(.*)/(.*)'}
            - {key_regex: '.*', from: daemonset}
            - {key: a, from: job, tag_name: job.a}
            - {key_regex: '(a)?', tag_name: 'n$$1', from: node}
          otel_annotations: true
        pod_association:
          - sources: [{from: resource_attribute, name: container.id}]
          - sources: [{from: resource_attribute, name: k8s.pod.name},
                      {from: resource_attribute, name: k8s.namespace.name}]
          - sources: [{from: resource_attribute, name: service.name}]
          - sources: [{from: resource_attribute, name: k8s.pod.ip}]
          - sources: [{from: connection}]
        """;
    K8sAttributesConfig c = Telemetry.config("k8sattributes", yaml);
    Association association = new Association(c.podAssociation);
    PodTable table = new PodTable(association);
    Map<String, ReplicaSet> replicaSets = new HashMap<>();
    replicaSets.put("checkout/checkout-7d4b9c8f6", new ReplicaSetBuilder().withNewMetadata()
        .addNewOwnerReference().withKind("Deployment").withName("checkout").endOwnerReference()
        .endMetadata().build());
    Map<String, Job> jobs = new HashMap<>();
    for (String name : JOBS) {
      jobs.put("checkout/" + name, new JobBuilder().withNewMetadata().withName(name)
          .addNewOwnerReference().withKind(r.nextBoolean() ? "CronJob" : "Deployment")
          .withName(pick(r, WORDS)).withUid(pick(r, WORDS)).withController(
              r.nextBoolean() ? Boolean.TRUE : null).endOwnerReference().endMetadata().build());
    }
    String[] clusterUid = {null};
    PodExtractor extractor = new PodExtractor(new ExtractionRules(c.extract), new OwnerLookup() {
      @Override
      public ReplicaSet replicaSet(String namespace, String name) {
        return replicaSets.get(namespace + "/" + name);
      }

      @Override
      public Job job(String namespace, String name) {
        return jobs.get(namespace + "/" + name);
      }

      @Override
      public String clusterUid() {
        return clusterUid[0];
      }
    });
    PodFilter filter = new PodFilter(c, Map.of());
    // Workload rules' attributes as the informers would hold them, under keys a sender may
    // also have set (which must then stay the sender's).
    ResourceEnricher enricher = new ResourceEnricher(association, false, table,
        new ClusterObjects() {
          @Override
          public List<KeyValue> namespace(String name) {
            return List.of(KeyValue.newBuilder().setKey("ns." + name).build());
          }

          @Override
          public List<KeyValue> workload(String kind, String uid) {
            return uid.isEmpty() ? null : List.of(kv("k8s." + kind + ".label.a", uid),
                kv("service.name", kind), kv("k8s.pod.ip", uid));
          }
        }, ClusterObjects.WORKLOADS);
    ClientInfo[] clients = {null, ClientInfo.of(InetAddress.getByName("10.0.0.1")),
        ClientInfo.of(InetAddress.getByName("::1"))};

    for (int i = 0; i < 3000; i++) {
      clusterUid[0] = pick(r, WORDS);
      Pod pod = pod(r, i);
      if (filter.accepts(pod)) {
        PodRecord rec = extractor.extract(pod);
        table.put(rec);
        assertThat(rec.attributes()).allSatisfy(kv -> assertThat(kv.getKey()).isNotEmpty());
      }
      if (r.nextInt(10) == 0 && pod.getMetadata().getUid() != null) {
        table.markDeleted(pod.getMetadata().getUid(), i);
        table.sweep(i + r.nextInt(3), 1);
      }
      List<KeyValue> in = resource(r);
      List<KeyValue> out = enricher.enrich(in, clients[r.nextInt(clients.length)]);
      for (int k = 0; k < in.size(); k++) {
        KeyValue sent = in.get(k);
        String v = sent.getValue().getStringValue();
        boolean fillable = sent.getValue().getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET
            || (sent.getValue().hasStringValue() && v.isEmpty());
        if (!fillable) {
          assertThat(out.get(k)).as("the sender's %s at %d", sent.getKey(), k).isEqualTo(sent);
        } else {
          assertThat(out.get(k).getKey()).isEqualTo(sent.getKey());
        }
      }
      assertThat(out.size()).isGreaterThanOrEqualTo(in.size());
    }
    assertThat(table.size()).isLessThanOrEqualTo(40);
  }
}
