package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of the one-module-per-component layout, checked on the checkout itself so that a
 * class put into another module's package, or a component without its README, fails the build
 * rather than a review.
 */
class RepositoryLayoutTest {

  private static final Pattern SOURCE =
      Pattern.compile("(.+)/src/(?:main|test|jmh)/java/(.+)/[^/]+\\.java");
  private static Path root;

  @BeforeAll
  static void findCheckout() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".ci")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        root = dir;
        return;
      }
    }
  }

  private static List<String> javaFiles() throws IOException {
    assumeTrue(root != null, "skipped: not run inside a Vigil checkout");
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> p.toString().endsWith(".java"))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.contains("/target/") && !p.startsWith(".git/"))
          .forEach(out::add);
    }
    return out;
  }

  @Test
  void everyPackageLivesInExactlyOneModule() throws IOException {
    Map<String, Set<String>> modulesByPackage = new TreeMap<>();
    for (String f : javaFiles()) {
      Matcher m = SOURCE.matcher(f);
      if (m.matches()) {
        modulesByPackage.computeIfAbsent(m.group(2).replace('/', '.'), k -> new TreeSet<>())
            .add(m.group(1));
      }
    }
    assertThat(modulesByPackage).as("packages found").isNotEmpty();
    Map<String, Set<String>> split = new TreeMap<>();
    modulesByPackage.forEach((pkg, modules) -> {
      if (modules.size() > 1) {
        split.put(pkg, modules);
      }
    });
    assertThat(split).as("packages spread over several modules").isEmpty();
  }

  @Test
  void everyComponentModuleHasItsReadme() throws IOException {
    assumeTrue(root != null, "skipped: not run inside a Vigil checkout");
    List<Path> registrations;
    try (Stream<Path> s = Files.walk(root)) {
      registrations = s.filter(p -> !p.toString().contains("/target/"))
          .filter(p -> p.getFileName().toString().startsWith("io.vigil.core.component.")
              && p.getParent().endsWith(Path.of("src", "main", "resources", "META-INF", "services")))
          // testing registers stand-in components for other modules' tests; not a component
          .filter(p -> !root.relativize(p).startsWith("testing"))
          .toList();
    }
    assertThat(registrations).as("component modules found").hasSizeGreaterThanOrEqualTo(16);
    for (Path services : registrations) {
      Path module = services.getParent().getParent().getParent().getParent().getParent().getParent();
      assertThat(module.resolve("README.md")).as("README of " + root.relativize(module)).exists();
      assertThat(module.getParent().getFileName().toString())
          .as("kind folder of " + root.relativize(module))
          .isIn("receiver", "processor", "connector", "exporter", "extension");
    }
  }
}
