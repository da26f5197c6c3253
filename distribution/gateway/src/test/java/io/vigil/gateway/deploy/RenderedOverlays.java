package io.vigil.gateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every overlay under deploy/kubernetes/overlays rendered by {@code kubectl kustomize}, once per
 * test JVM for the test classes that check them, or why they could not be.
 */
final class RenderedOverlays {

  private static Map<String, RenderedOverlay> rendered;
  private static String notRendered;

  private RenderedOverlays() {}

  /** By overlay directory name; empty when {@link #whyNot()} says why. */
  static synchronized Map<String, RenderedOverlay> all() throws IOException,
      InterruptedException {
    if (rendered != null) {
      return rendered;
    }
    Map<String, RenderedOverlay> out = new LinkedHashMap<>();
    Path kubectl = Repo.onPath("kubectl");
    String without = ": the overlays are not rendered, so the checks across objects (ports,"
        + " probes, memory, injection, RBAC, the demo's calls) skip; KubernetesManifestFilesTest"
        + " still reads every file strictly. Install kubectl 1.21 or newer (its built-in"
        + " Kustomize renders components and labels; Debian's kubernetes-client is 1.20)";
    if (kubectl == null) {
      notRendered = "kubectl is not on the PATH" + without;
    } else {
      int minor = KubectlVersion.clientMinor(kubectl);
      if (minor < 21) {
        notRendered = "kubectl 1." + minor + " is too old" + without;
      } else {
        for (Path overlay : directories()) {
          out.put(overlay.getFileName().toString(), RenderedOverlay.render(kubectl, overlay));
        }
      }
    }
    rendered = Collections.unmodifiableMap(out);
    return rendered;
  }

  /** Why the overlays were not rendered, or null when they were. */
  static synchronized String whyNot() {
    return notRendered;
  }

  static List<Path> directories() throws IOException {
    try (Stream<Path> dirs = Files.list(Repo.KUBERNETES.resolve("overlays"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted()
          .toList();
    }
  }
}
