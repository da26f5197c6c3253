package io.vigil.processor.k8sattributes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1, a kubeconfig file pointing at it (so the
 * processor connects as an operator would configure it) and a client to create the objects.
 */
final class MockCluster implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient kube;
  final Path kubeconfig;

  MockCluster(Path dir) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new PodFieldsIgnoringDispatcher(), false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
      kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: mock
            cluster: {server: "http://127.0.0.1:%d"}
          users:
          - name: vigil
            user: {token: "not-checked-by-the-mock"}
          contexts:
          - name: mock
            context: {cluster: mock, user: vigil, namespace: default}
          current-context: mock
          """.formatted(server.getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    kube = server.createClient();
  }

  Namespace namespace(String name, Map<String, String> labels, Map<String, String> annotations) {
    return kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .withUid("ns-" + name).withLabels(labels).withAnnotations(annotations).endMetadata()
        .build()).create();
  }

  /** A Deployment with annotations (its labels and UID as given). */
  Deployment deployment(String ns, String name, String uid, Map<String, String> labels,
      Map<String, String> annotations) {
    return kube.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withUid(uid).withLabels(labels)
        .withAnnotations(annotations).endMetadata().build()).create();
  }

  /** A Job, owned by a CronJob when {@code cronJob} is not null. */
  Job job(String ns, String name, String uid, String cronJob, String cronJobUid,
      Map<String, String> labels) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .withUid(uid).withLabels(labels).endMetadata();
    if (cronJob != null) {
      b.editMetadata().addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob")
          .withName(cronJob).withUid(cronJobUid).withController(true).endOwnerReference()
          .endMetadata();
    }
    return kube.batch().v1().jobs().inNamespace(ns).resource(b.build()).create();
  }

  Node node(String name, String uid, Map<String, String> labels) {
    return kube.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withUid(uid)
        .withLabels(labels).endMetadata().build()).create();
  }

  /** A ReplicaSet named {@code name} whose controlling owner is the given object. */
  ReplicaSet replicaSet(String ns, String name, String ownerKind, String owner,
      String ownerUid) {
    return kube.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).addNewOwnerReference()
        .withApiVersion("apps/v1").withKind(ownerKind).withName(owner).withUid(ownerUid)
        .withController(true).endOwnerReference().endMetadata().build()).create();
  }

  /** A ReplicaSet owned by a Deployment, as the deployment controller names it. */
  ReplicaSet replicaSet(String ns, String deployment, String hash) {
    return kube.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName(deployment + "-" + hash).withNamespace(ns)
        .withUid("rs-" + deployment).addNewOwnerReference().withApiVersion("apps/v1")
        .withKind("Deployment").withName(deployment).withUid("deploy-" + deployment)
        .withController(true).endOwnerReference().endMetadata().build()).create();
  }

  /** A pod of a deployment's ReplicaSet, running with {@code ip} on {@code node}. */
  Pod deploymentPod(String ns, String deployment, String hash, String suffix, String ip,
      String node, Map<String, String> labels) {
    Map<String, String> l = new HashMap<>(labels);
    l.put("pod-template-hash", hash);
    return pod(new PodBuilder().withNewMetadata()
        .withName(deployment + "-" + hash + "-" + suffix).withNamespace(ns)
        .withUid("pod-" + deployment + "-" + suffix).withLabels(l)
        .withCreationTimestamp("2026-11-28T09:00:00Z")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName(deployment + "-" + hash).withUid("rs-" + deployment).withController(true)
        .endOwnerReference().endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("app")
        .withImage("ghcr.io/example/" + deployment + ":1.4.2").endContainer().endSpec()
        .withNewStatus().withPodIP(ip).addNewContainerStatus().withName("app")
        .withContainerID("containerd://c0ffee" + suffix).endContainerStatus().endStatus()
        .build());
  }

  Pod pod(Pod pod) {
    Pod created = kube.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod)
        .create();
    if (created.getStatus() == null || created.getStatus().getPodIP() == null) {
      created.setStatus(pod.getStatus());
      created = kube.pods().inNamespace(pod.getMetadata().getNamespace()).resource(created)
          .updateStatus();
    }
    return created;
  }

  void delete(Pod pod) {
    kube.pods().inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).delete();
  }

  /**
   * The CRUD dispatcher, minus the pod field selectors it cannot evaluate ({@code spec.nodeName},
   * {@code status.phase}: it would answer them with no pods at all, where a real API server
   * selects). The processor checks each pod it receives against the same filter, which is what
   * tests then see; the selector sent is still in the recorded request.
   */
  private static final class PodFieldsIgnoringDispatcher extends KubernetesCrudDispatcher {
    private static final java.util.Set<String> UNSUPPORTED = java.util.Set.of("spec.nodeName",
        "status.phase");

    @Override
    public io.fabric8.mockwebserver.http.MockResponse handleGet(String path) {
      return super.handleGet(withoutUnsupportedFields(path));
    }

    @Override
    public io.fabric8.mockwebserver.http.MockResponse handleWatch(String path) {
      return super.handleWatch(withoutUnsupportedFields(path));
    }

    static String withoutUnsupportedFields(String path) {
      int q = path.indexOf('?');
      if (q < 0) {
        return path;
      }
      java.util.List<String> params = new java.util.ArrayList<>();
      for (String param : path.substring(q + 1).split("&")) {
        if (!param.startsWith("fieldSelector=")) {
          params.add(param);
          continue;
        }
        String selector = java.net.URLDecoder.decode(param.substring("fieldSelector=".length()),
            java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (String term : selector.split(",")) {
          String key = term.split("!?=", 2)[0];
          if (!UNSUPPORTED.contains(key)) {
            kept.add(term);
          }
        }
        if (!kept.isEmpty()) {
          params.add("fieldSelector=" + java.net.URLEncoder.encode(String.join(",", kept),
              java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      return path.substring(0, q) + (params.isEmpty() ? "" : "?" + String.join("&", params));
    }
  }

  private boolean closed;

  /** Closes the client and the server; a second call does nothing. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      kube.close();
      server.destroy();
    }
  }
}
