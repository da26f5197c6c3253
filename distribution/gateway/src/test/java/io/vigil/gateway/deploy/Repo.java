package io.vigil.gateway.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the checkout, seen from distribution/gateway (surefire's working directory). */
final class Repo {
  static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");

  private Repo() {}

  /** The image tag the build gives the images (root pom's vigil.image.tag). */
  static String imageTag() {
    String tag = System.getProperty("vigil.image.tag");
    if (tag == null || tag.isBlank()) {
      throw new IllegalStateException("vigil.image.tag is not set: run the test through Maven");
    }
    return tag;
  }

  /** An executable of that name on the PATH, if there is one. */
  static Path onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
