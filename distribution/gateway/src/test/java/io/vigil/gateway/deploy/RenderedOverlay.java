package io.vigil.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One overlay as {@code kubectl kustomize} renders it, every object strictly parsed. */
final class RenderedOverlay {

  /** A workload's pod template, with what owns it. */
  record Workload(HasMetadata owner, PodTemplateSpec template) {
    String name() {
      return owner.getKind() + "/" + owner.getMetadata().getName();
    }
  }

  final String name;
  final List<HasMetadata> objects;

  private RenderedOverlay(String name, List<HasMetadata> objects) {
    this.name = name;
    this.objects = objects;
  }

  static RenderedOverlay render(Path kubectl, Path overlay) throws IOException,
      InterruptedException {
    Process p = new ProcessBuilder(kubectl.toString(), "kustomize", overlay.toString())
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kubectl kustomize " + overlay + " did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("kubectl kustomize " + overlay + " failed: "
          + new String(err, StandardCharsets.UTF_8));
    }
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
        .readValues(new String(out, StandardCharsets.UTF_8))) {
      int i = 0;
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          objects.add(StrictKubernetesModel.read(doc, overlay.getFileName() + " document " + i));
        }
        i++;
      }
    }
    return new RenderedOverlay(overlay.getFileName().toString(), objects);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  ConfigMap configMap(String name) {
    return find(ConfigMap.class, name).orElseThrow(() -> new AssertionError(
        this.name + ": no ConfigMap " + name));
  }

  List<Workload> workloads() {
    List<Workload> out = new ArrayList<>();
    all(DaemonSet.class).forEach(d -> out.add(new Workload(d, d.getSpec().getTemplate())));
    all(Deployment.class).forEach(d -> out.add(new Workload(d, d.getSpec().getTemplate())));
    all(Job.class).forEach(j -> out.add(new Workload(j, j.getSpec().getTemplate())));
    return out;
  }

  /** The workloads whose pods a label selector picks. */
  List<Workload> selectedBy(Map<String, String> selector) {
    return workloads().stream()
        .filter(w -> w.template().getMetadata().getLabels().entrySet()
            .containsAll(selector.entrySet()))
        .toList();
  }

  List<Service> services() {
    return all(Service.class);
  }

  @Override
  public String toString() {
    return name;
  }
}
