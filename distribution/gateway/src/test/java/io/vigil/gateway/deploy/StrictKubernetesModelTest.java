package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;

/** The strict reading refuses what fabric8's lenient one would let through. */
class StrictKubernetesModelTest {

  private static final String DAEMONSET = """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      spec:
        selector: {matchLabels: {app: agent}}
        template:
          metadata: {labels: {app: agent}}
          spec:
            containers:
              - name: gateway
                image: vigil/gateway:1
                %s
      """;

  private static JsonNode yaml(String text) throws Exception {
    return new YAMLMapper().readTree(text);
  }

  @Test
  void readsAWellFormedObject() throws Exception {
    var ds = StrictKubernetesModel.read(yaml(DAEMONSET.formatted(
        "livenessProbe: {httpGet: {path: /health, port: admin}}")), "good");
    assertThat(ds).isInstanceOf(DaemonSet.class);
    assertThat(((DaemonSet) ds).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
  }

  @Test
  void namesAMisspeltFieldDeepInThePodSpec() {
    assertThatThrownBy(() -> StrictKubernetesModel.read(yaml(DAEMONSET.formatted(
        "livenesProbe: {httpGet: {path: /health, port: admin}}")), "typo"))
        .hasMessageContaining("typo")
        .hasMessageContaining("containers[0]")
        .hasMessageContaining("livenesProbe");
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThatThrownBy(() -> StrictKubernetesModel.read(yaml(DAEMONSET.formatted(
        "ports: [{containerPort: [4317]}]")), "type"))
        .hasMessageContaining("type");
  }

  @Test
  void refusesAKindItDoesNotKnow() {
    assertThatThrownBy(() -> StrictKubernetesModel.read(yaml(
        "apiVersion: apps/v1beta1\nkind: DaemonSet\nmetadata: {name: x}\n"), "old"))
        .hasMessageContaining("apps/v1beta1/DaemonSet");
  }
}
