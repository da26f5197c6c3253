package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every component factory ServiceLoader finds on the gateway's class path (which holds every
 * component it ships) has, in its own module's test tree, a class that extends
 * {@code io.vigil.testing.ComponentFactoryContract} and creates that factory. Adding a
 * component without a contract test fails here.
 *
 * <p>The module is found from where the factory class was loaded: {@code MODULE/target/classes}
 * or {@code MODULE/target/*.jar} in a reactor build. Run outside a source checkout (factories
 * from a repository jar), the check is skipped.
 */
class EveryComponentHasAContractTest {

  @Test
  void everyFactoryHasAContractTestInItsModule() {
    ComponentRegistry registry = ComponentRegistry.load();
    List<String> checked = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (ComponentKind kind : ComponentKind.values()) {
      for (String type : registry.types(kind)) {
        ComponentFactory<?> f = registry.factory(kind, type);
        if (f.getClass().getPackageName().equals("io.vigil.testing")) {
          continue; // the test kit's own stand-ins
        }
        Path module = moduleOf(f.getClass());
        String label = kind.section() + "::" + type + " (" + f.getClass().getName() + ")";
        checked.add(label);
        if (!hasContractTest(module, f.getClass().getSimpleName())) {
          missing.add(label + " in " + module);
        }
      }
    }
    assertThat(checked).as("factories ServiceLoader finds").hasSizeGreaterThanOrEqualTo(16);
    assertThat(missing)
        .as("factories without a test class that extends ComponentFactoryContract and creates"
            + " them (new FACTORY()) under MODULE/src/test/java")
        .isEmpty();
  }

  private static Path moduleOf(Class<?> c) {
    Optional<Path> module = ComponentModules.moduleOf(c);
    Assumptions.assumeTrue(module.isPresent(),
        () -> c.getName() + " was not loaded from a module of this checkout");
    return module.get();
  }

  private static boolean hasContractTest(Path module, String factoryClass) {
    Path tests = module.resolve("src/test/java");
    if (!Files.isDirectory(tests)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(tests)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .map(EveryComponentHasAContractTest::read)
          .anyMatch(src -> src.contains("extends ComponentFactoryContract")
              && src.contains("new " + factoryClass + "()"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
