package io.vigil.exporter.incidents.response.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionResult;

/** One Kubernetes action: the shared client, the cluster as circuit target, failures told. */
abstract class KubernetesCall implements ActionCall {

  private final KubernetesActions cluster;

  KubernetesCall(KubernetesActions cluster) {
    this.cluster = cluster;
  }

  /** Does the change; returns what happened, for the audit. */
  abstract String change(KubernetesClient client);

  @Override
  public String target() {
    return cluster.target();
  }

  @Override
  public final ActionResult call() {
    long start = System.nanoTime();
    try {
      String done = change(cluster.client());
      return new ActionResult(true, done + " in " + (System.nanoTime() - start) / 1_000_000
          + " ms");
    } catch (KubernetesClientException e) {
      String status = e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage();
      return new ActionResult(false, (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "")
          + status);
    } catch (RuntimeException e) {
      // A kubeconfig that cannot be read, an object without the fields expected.
      return new ActionResult(false, e.toString());
    }
  }
}
