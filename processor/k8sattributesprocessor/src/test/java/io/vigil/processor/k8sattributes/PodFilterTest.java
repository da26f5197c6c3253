package io.vigil.processor.k8sattributes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vigil.processor.k8sattributes.internal.PodFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter applied to each pod the informer reports, so the table stays within it. */
class PodFilterTest {

  private static Pod pod(String name, String ns, String node, Map<String, String> labels,
      String phase) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).withUid(name)
        .withLabels(labels).endMetadata().withNewSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase(phase).endStatus().build();
  }

  private static PodFilter filter(String yaml, Map<String, String> env) {
    return new PodFilter(Telemetry.config("k8sattributes", yaml), env);
  }

  @Test
  void nodeFromTheEnvironmentKeepsThatNodesPodsOnly() {
    PodFilter f = filter("filter: {node_from_env_var: KUBE_NODE_NAME}",
        Map.of("KUBE_NODE_NAME", "worker-1"));
    assertThat(f.node()).isEqualTo("worker-1");
    assertThat(f.accepts(pod("a", "shop", "worker-1", Map.of(), "Running"))).isTrue();
    assertThat(f.accepts(pod("b", "shop", "worker-2", Map.of(), "Running"))).isFalse();
  }

  @Test
  void labelAndFieldOperatorsSelectAsTheApiServerWould() {
    PodFilter f = filter("""
        filter:
          namespace: shop
          fields: [{key: status.phase, value: Running}]
          labels:
            - {key: app, value: checkout}
            - {key: tier, value: batch, op: not-equals}
            - {key: monitored, op: exists}
            - {key: legacy, op: does-not-exist}
        """, Map.of());
    Map<String, String> ok = Map.of("app", "checkout", "tier", "web", "monitored", "yes");
    assertThat(f.accepts(pod("a", "shop", "n", ok, "Running"))).isTrue();
    assertThat(f.accepts(pod("b", "other", "n", ok, "Running"))).isFalse();
    assertThat(f.accepts(pod("c", "shop", "n", ok, "Pending"))).isFalse();
    assertThat(f.accepts(pod("d", "shop", "n", Map.of("app", "checkout", "tier", "batch",
        "monitored", "y"), "Running"))).isFalse();
    assertThat(f.accepts(pod("e", "shop", "n", Map.of("app", "checkout"), "Running"))).isFalse();
    assertThat(f.accepts(pod("f", "shop", "n", Map.of("app", "checkout", "monitored", "y",
        "legacy", "1"), "Running"))).isFalse();
  }

  @Test
  void excludedPodsAreNotHeldJaegerAgentByDefault() {
    PodFilter f = filter("", Map.of());
    assertThat(f.accepts(pod("jaeger-agent", "shop", "n", Map.of(), "Running"))).isFalse();
    assertThat(f.accepts(pod("jaeger-agent-x", "shop", "n", Map.of(), "Running"))).isTrue();
    PodFilter mine = filter("exclude: {pods: [{name: 'canary-.*'}]}", Map.of());
    assertThat(mine.accepts(pod("canary-1", "shop", "n", Map.of(), "Running"))).isFalse();
    assertThat(mine.accepts(pod("jaeger-agent", "shop", "n", Map.of(), "Running"))).isTrue();
  }

  @Test
  void aNamedEnvironmentVariableWinsOverNodeAsInTheCollector() {
    String both = "filter: {node: node-1, node_from_env_var: KUBE_NODE_NAME}";
    assertThat(filter(both, Map.of("KUBE_NODE_NAME", "worker-7")).node()).isEqualTo("worker-7");
    // Unset: every node's pods (the factory logs a warning), not node-1's.
    assertThat(filter(both, Map.of()).node()).isEmpty();
    assertThat(filter("filter: {node: node-1}", Map.of("KUBE_NODE_NAME", "worker-7")).node())
        .isEqualTo("node-1");
  }

  @Test
  void aPodAnnotatedToBeIgnoredIsNotHeld() {
    PodFilter f = filter("", Map.of());
    Pod ignored = pod("web", "shop", "n", Map.of(), "Running");
    ignored.getMetadata().setAnnotations(Map.of("opentelemetry.io/k8s-processor-ignore",
        " True "));
    assertThat(f.accepts(ignored)).isFalse();
    Pod kept = pod("web", "shop", "n", Map.of(), "Running");
    kept.getMetadata().setAnnotations(Map.of("opentelemetry.io/k8s-processor-ignore", "no"));
    assertThat(f.accepts(kept)).isTrue();
  }
}
