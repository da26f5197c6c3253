package io.vigil.exporter.incidents.response.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * {@code rollout_restart}: what {@code kubectl rollout restart} does, a patch of the pod
 * template's {@code kubectl.kubernetes.io/restartedAt} annotation to now, so the controller
 * rolls the pods with its own update strategy (surge, disruption budget) and the rollout shows
 * in {@code kubectl rollout history} like a person's.
 */
final class RolloutRestart extends KubernetesCall {

  static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";

  private final Workload workload;
  private final Clock clock;

  RolloutRestart(KubernetesActions cluster, Workload workload, Clock clock) {
    super(cluster);
    this.workload = workload;
    this.clock = clock;
  }

  @Override
  public String describe() {
    return "rollout_restart " + workload;
  }

  @Override
  public String detail() {
    return patch("<now>");
  }

  private static String patch(String at) {
    return "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\""
        + at + "\"}}}}}";
  }

  @Override
  String change(KubernetesClient client) {
    // RFC 3339 in whole seconds, as kubectl writes it.
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    workload.resource(client).patch(PatchContext.of(PatchType.JSON_MERGE), patch(now));
    return "restarted " + workload + " (" + ANNOTATION + "=" + now + ")";
  }
}
