package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.core.component.ComponentFactory;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ComponentConfig;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A key written without a value ({@code endpoint:}, YAML null) or with an empty one
 * ({@code endpoint: ""}) must never crash the loader, for any component the gateway ships
 * (#25; CI's fuzzing found three such crashes one at a time). The binder keeps a key's
 * default on null ({@code Nulls.SKIP}), so where that default is null a validator sees null.
 *
 * <p>Every good config in every shipped component module's {@code src/test/resources/testdata}
 * is taken as a base; for every key path under a component (recursively, a list's first item
 * too) one variant sets it to null and one to the empty string. Each variant loads, or fails with config
 * errors of which one names that key (or a key above or below it) and none is the loader's
 * backstop for an unexpected exception. A config that loads must also answer
 * {@code listenAddresses}, which {@code vigil validate} probes.
 */
class KeysWithoutValuesTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ComponentRegistry REGISTRY = ConfigTestdata.registry();
  private static final ConfigLoader LOADER = new ConfigLoader(REGISTRY);

  @Test
  void everyKeyOfEveryShippedComponentSetToNullOrEmptyLoadsOrNamesItsKey() {
    Set<Path> bases = new LinkedHashSet<>();
    Set<String> shipped = new TreeSet<>();
    for (ComponentKind kind : ComponentKind.values()) {
      for (String type : REGISTRY.types(kind)) {
        ComponentFactory<?> f = REGISTRY.factory(kind, type);
        if (f.getClass().getPackageName().equals("io.vigil.testing")) {
          continue;
        }
        shipped.add(kind.section() + "::" + type);
        Optional<Path> module = ComponentModules.moduleOf(f.getClass());
        Assumptions.assumeTrue(module.isPresent(), "not run from a source checkout");
        bases.addAll(goodConfigs(module.get().resolve("src/test/resources/testdata")));
      }
    }

    List<String> failures = new ArrayList<>();
    Set<String> covered = new TreeSet<>();
    int variants = 0;
    for (Path base : bases) {
      JsonNode root = loadableBase(base);
      if (root == null) {
        continue;
      }
      for (ComponentKind kind : ComponentKind.values()) {
        JsonNode section = root.get(kind.section());
        if (section == null || !section.isObject()) {
          continue;
        }
        for (Iterator<String> ids = section.fieldNames(); ids.hasNext(); ) {
          String id = ids.next();
          String componentPath = kind.section() + "::" + id;
          covered.add(kind.section() + "::" + id.split("/", 2)[0]);
          for (String keyPath : keyPaths(section.get(id), componentPath)) {
            for (JsonNode blank : List.of(NullNode.getInstance(), TextNode.valueOf(""))) {
              variants++;
              String failure = check(root, keyPath, blank);
              if (failure != null) {
                failures.add(base.getParent().getParent().getParent().getParent().getParent()
                    .getFileName() + "/" + base.getFileName() + " " + keyPath + " = "
                    + (blank.isNull() ? "(no value)" : "\"\"") + ": " + failure);
              }
            }
          }
        }
      }
    }

    assertThat(variants).as("variants tried").isGreaterThan(500);
    assertThat(shipped).as("shipped components with a good testdata config").isSubsetOf(covered);
    assertThat(failures).as("variants that crashed or named no related key").isEmpty();
  }

  /** The variant's problem, or null when it loads or is refused naming the key. */
  private static String check(JsonNode root, String keyPath, JsonNode blank) {
    String text;
    try {
      text = YAML.writeValueAsString(withValue(root.deepCopy(), keyPath.split("::"), blank));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GatewayConfig config;
    try {
      config = LOADER.load(text);
    } catch (ConfigException e) {
      boolean named = false;
      for (ConfigException p : e.problems()) {
        if (p.problem().startsWith(ConfigLoader.UNEXPECTED_VALIDATION_FAILURE)) {
          return p.getMessage();
        }
        named |= related(p, keyPath);
      }
      return named ? null : "refused without naming it: " + e.getMessage();
    } catch (RuntimeException | StackOverflowError e) {
      return e.toString();
    }
    for (ComponentKind kind : ComponentKind.values()) {
      for (ComponentConfig c : config.components(kind).values()) {
        try {
          listenAddresses(c);
        } catch (RuntimeException e) {
          return "listenAddresses of " + c.keyPath() + ": " + e;
        }
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static void listenAddresses(ComponentConfig c) {
    ((ComponentFactory<Object>) c.factory()).listenAddresses(c.config());
  }

  /**
   * The key itself, a key above it within its component or one below it, or another key of
   * the same component whose problem mentions the changed key by name ("needs one of value,
   * from_attribute...").
   */
  private static boolean related(ConfigException problem, String changed) {
    String[] r = problem.keyPath().replaceAll("\\[(\\d+)]", "::$1").split("::");
    String[] c = changed.split("::");
    if (r.length < 2 || !r[0].equals(c[0]) || !r[1].equals(c[1])) {
      return false;
    }
    boolean prefix = prefix(r, c, Math.min(r.length, c.length));
    boolean sibling = r.length == c.length && prefix(r, c, c.length - 1);
    String key = c[c.length - 1].matches("\\d+") ? c[c.length - 2] : c[c.length - 1];
    return prefix || sibling || problem.problem().contains(key);
  }

  private static boolean prefix(String[] a, String[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (!a[i].equals(b[i])) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode withValue(JsonNode root, String[] path, JsonNode value) {
    JsonNode parent = root;
    for (int i = 0; i < path.length - 1; i++) {
      parent = step(parent, path[i]);
    }
    String last = path[path.length - 1];
    if (parent instanceof ArrayNode list) {
      list.set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
    return root;
  }

  private static JsonNode step(JsonNode node, String key) {
    return node.isArray() ? node.get(Integer.parseInt(key)) : node.get(key);
  }

  /** Every key and list item below {@code node}, parents before children. */
  private static List<String> keyPaths(JsonNode node, String path) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    Function<String, String> under = k -> path + "::" + k;
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        out.add(under.apply(e.getKey()));
        out.addAll(keyPaths(e.getValue(), under.apply(e.getKey())));
      });
    } else if (node.size() > 0) {
      // The first item only: every item of a list is bound and checked by the same code.
      out.add(under.apply("0"));
      out.addAll(keyPaths(node.get(0), under.apply("0")));
    }
    return out;
  }

  /** The base's tree, or null when it does not load here as it is (so no variant can tell). */
  private static JsonNode loadableBase(Path base) {
    try {
      String text = Files.readString(base);
      LOADER.load(text);
      return YAML.readTree(text);
    } catch (ConfigException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> goodConfigs(Path testdata) {
    if (!Files.isDirectory(testdata)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(testdata)) {
      return files
          .filter(p -> p.getFileName().toString().matches("(?!bad-).*\\.ya?ml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
