package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of deploy/kubernetes, read without rendering: what each kustomization.yaml lists
 * as a resource or a patch is read strictly into the Kubernetes object model
 * ({@link StrictKubernetesModel}), every directory it names is a kustomization, every file a
 * generator takes exists, and no YAML file sits there unlisted (unchecked). This needs no
 * kubectl, so it runs wherever the tests run; {@link KubernetesManifestsTest} checks the
 * rendered overlays, where kubectl's built-in Kustomize is available.
 */
class KubernetesManifestFilesTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Path> kustomizations() throws IOException {
    try (Stream<Path> files = Files.walk(Repo.KUBERNETES)) {
      return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("kustomizations")
  void everyResourceAndPatchIsAValidKubernetesObject(Path kustomization) throws IOException {
    Path dir = kustomization.getParent();
    JsonNode k = YAML.readTree(kustomization.toFile());
    int objects = 0;
    for (Path resource : listed(k, "resources")) {
      Path target = dir.resolve(resource).normalize();
      if (Files.isDirectory(target)) {
        assertThat(target.resolve("kustomization.yaml")).as(kustomization + ": " + resource)
            .isRegularFile();
      } else {
        objects += readStrictly(target);
      }
    }
    for (JsonNode patch : k.path("patches")) {
      // A strategic-merge patch is a partial object: its fields must still be the model's.
      objects += readStrictly(dir.resolve(patch.path("path").asText()));
    }
    for (Path component : listed(k, "components")) {
      assertThat(dir.resolve(component).resolve("kustomization.yaml"))
          .as(kustomization + ": component " + component).isRegularFile();
    }
    for (JsonNode generator : k.path("configMapGenerator")) {
      for (JsonNode file : generator.path("files")) {
        Path config = dir.resolve(file.asText());
        assertThat(config).as(kustomization + ": configMapGenerator file").isRegularFile();
        assertThat(YAML.readTree(config.toFile()).path("service").isObject())
            .as(config + ": a gateway config (service: section)").isTrue();
      }
    }
    assertThat(objects + k.path("resources").size() + k.path("components").size())
        .as(kustomization + " lists nothing").isPositive();
  }

  @Test
  void everyYamlFileIsListedByAKustomization() throws IOException {
    Set<Path> listed = new HashSet<>();
    for (Path kustomization : kustomizations().toList()) {
      Path dir = kustomization.getParent();
      JsonNode k = YAML.readTree(kustomization.toFile());
      listed.add(kustomization);
      listed(k, "resources").forEach(r -> listed.add(dir.resolve(r).normalize()));
      k.path("patches").forEach(p -> listed.add(dir.resolve(p.path("path").asText())
          .normalize()));
      k.path("configMapGenerator").forEach(g -> g.path("files").forEach(
          f -> listed.add(dir.resolve(f.asText()).normalize())));
    }
    try (Stream<Path> files = Files.walk(Repo.KUBERNETES)) {
      assertThat(files.filter(f -> f.toString().endsWith(".yaml")).map(Path::normalize))
          .as("YAML files no kustomization uses: no test reads them either")
          .allMatch(listed::contains);
    }
  }

  private static List<Path> listed(JsonNode kustomization, String field) {
    List<Path> out = new ArrayList<>();
    kustomization.path(field).forEach(n -> out.add(Path.of(n.asText())));
    return out;
  }

  /** The number of objects in the file, each read strictly (an exception names what is bad). */
  private static int readStrictly(Path file) throws IOException {
    assertThat(file).isRegularFile();
    int count = 0;
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class)
        .readValues(file.toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          StrictKubernetesModel.read(doc, Repo.ROOT.relativize(file) + " document " + count);
          count++;
        }
      }
    }
    return count;
  }
}
