package io.vigil.exporter.incidents.response.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * {@code scale}: sets a workload's replicas to a count or by a change from the current one,
 * always within {@code min_replicas}..{@code max_replicas}, so a rule that fires again and
 * again cannot scale a service to nothing or without end.
 */
final class Scale extends KubernetesCall {

  private final Workload workload;
  private final Integer replicas;
  private final Integer by;
  private final int min;
  private final int max;

  Scale(KubernetesActions cluster, Workload workload, Integer replicas, Integer by, int min,
      int max) {
    super(cluster);
    this.workload = workload;
    this.replicas = replicas;
    this.by = by;
    this.min = min;
    this.max = max;
  }

  @Override
  public String describe() {
    return "scale " + workload;
  }

  @Override
  public String detail() {
    return (replicas != null ? "replicas " + replicas : "by " + (by > 0 ? "+" : "") + by)
        + " within " + min + ".." + max;
  }

  @Override
  String change(KubernetesClient client) {
    HasMetadata object = workload.resource(client).get();
    if (object == null) {
      throw new KubernetesClientException(workload + " not found", 404, null);
    }
    Integer spec = object instanceof Deployment d ? d.getSpec().getReplicas()
        : ((StatefulSet) object).getSpec().getReplicas();
    // An unset count is 1 to the API server.
    int current = spec == null ? 1 : spec;
    long wanted = replicas != null ? replicas : (long) current + by;
    int target = (int) Math.max(min, Math.min(max, wanted));
    String bounds = wanted != target ? " (" + wanted + " is outside " + min + ".." + max + ")"
        : "";
    if (target == current) {
      return workload + " already at " + current + " replicas" + bounds;
    }
    workload.resource(client).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"replicas\":" + target + "}}");
    return "scaled " + workload + " from " + current + " to " + target + " replicas" + bounds;
  }
}
