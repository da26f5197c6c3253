package io.vigil.gateway;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The source module a class was loaded from in a reactor build ({@code MODULE/target/classes}
 * or {@code MODULE/target/NAME.jar}), so a test on the gateway's class path can read each
 * component module's own test tree. Empty outside a source checkout (a repository jar).
 */
final class ComponentModules {

  private ComponentModules() {}

  static Optional<Path> moduleOf(Class<?> c) {
    Path loc;
    try {
      loc = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      return Optional.empty();
    }
    Path target = loc.getParent();
    Path module = target == null ? null : target.getParent();
    if (target == null || !target.getFileName().toString().equals("target")
        || module == null || !Files.isRegularFile(module.resolve("pom.xml"))) {
      return Optional.empty();
    }
    return Optional.of(module);
  }
}
