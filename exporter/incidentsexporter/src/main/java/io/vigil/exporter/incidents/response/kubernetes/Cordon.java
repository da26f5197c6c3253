package io.vigil.exporter.incidents.response.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * {@code cordon}: what {@code kubectl cordon} does, {@code spec.unschedulable: true} on the
 * node, so no new pods land there; running pods stay (draining is a person's decision).
 */
final class Cordon extends KubernetesCall {

  private final String node;

  Cordon(KubernetesActions cluster, String node) {
    super(cluster);
    this.node = node;
  }

  @Override
  public String describe() {
    return "cordon node " + node;
  }

  @Override
  public String detail() {
    return "{\"spec\":{\"unschedulable\":true}}";
  }

  @Override
  String change(KubernetesClient client) {
    Node n = client.nodes().withName(node).get();
    if (n == null) {
      throw new KubernetesClientException("node " + node + " not found", 404, null);
    }
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return "node " + node + " was already cordoned";
    }
    client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), detail());
    return "cordoned node " + node;
  }
}
