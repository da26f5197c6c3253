package io.vigil.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared labelled data, {@code ../shared/data} beside the project root (or the folder
 * named by the {@code vigil.data} system property). It is never copied into the repository.
 */
public final class SharedData {

  private SharedData() {}

  public static Optional<Path> root() {
    String explicit = System.getProperty("vigil.data");
    if (explicit != null) {
      Path p = Path.of(explicit);
      return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".ci"))) {
        Path data = dir.resolveSibling("shared").resolve("data");
        return Files.isDirectory(data) ? Optional.of(data) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A sub-folder of the shared data, if present. */
  public static Optional<Path> folder(String name) {
    return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
  }
}
