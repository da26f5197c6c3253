package io.vigil.processor.k8sattributes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
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
        new KubernetesCrudDispatcher(), false);
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
