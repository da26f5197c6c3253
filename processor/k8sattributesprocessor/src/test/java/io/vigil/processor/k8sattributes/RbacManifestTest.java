package io.vigil.processor.k8sattributes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RBAC manifest grants exactly what the informers can use (get, list, watch on pods,
 * namespaces, nodes, the apps workloads and batch jobs, nothing more), binds it to the gateways'
 * service accounts, and is the one the README shows.
 */
class RbacManifestTest {

  private static final Path MANIFEST = Path.of("../../deploy/kubernetes/rbac/k8sattributes.yaml");

  @Test
  void grantsReadOnWhatTheInformersWatchAndBindsIt() throws Exception {
    List<HasMetadata> objects = new KubernetesSerialization().unmarshal(
        Files.readString(MANIFEST));
    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactly("ClusterRole", "ClusterRoleBinding");
    ClusterRole role = (ClusterRole) objects.get(0);
    // fabric8 keeps fields it does not know aside rather than failing: a misspelt key shows
    // up there.
    assertThat(role.getAdditionalProperties()).isEmpty();
    for (PolicyRule r : role.getRules()) {
      assertThat(r.getAdditionalProperties()).isEmpty();
      assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    }
    assertThat(role.getRules()).extracting(r -> String.join(",", r.getApiGroups()) + ":"
        + String.join(",", new java.util.TreeSet<>(r.getResources()))).containsExactlyInAnyOrder(
            ":namespaces,nodes,pods",
            "apps:daemonsets,deployments,replicasets,statefulsets",
            "batch:jobs");
    ClusterRoleBinding binding = (ClusterRoleBinding) objects.get(1);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    // The service accounts are defined with the gateways that run as them (the node agent's and
    // the central gateway's bases); KubernetesManifestsTest checks they exist in the overlay.
    assertThat(binding.getSubjects()).extracting(s -> s.getNamespace() + "/" + s.getName())
        .containsExactlyInAnyOrder("observability/vigil-node-agent", "observability/vigil-gateway");
  }

  @Test
  void theReadmeShowsTheSameManifest() throws Exception {
    assertThat(Files.readString(Path.of("README.md")))
        .contains("```yaml\n" + Files.readString(MANIFEST) + "```");
  }
}
