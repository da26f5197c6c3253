package io.vigil.testing;

import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads a component module's {@code src/test/resources/testdata/} configs (a good one and bad
 * ones whose errors must name the key) against the factories on the module's class path, with a
 * {@code stand_in} receiver and exporter so a config can wire a pipeline around one component.
 */
public final class ConfigTestdata {

  private ConfigTestdata() {}

  /** Every factory ServiceLoader finds, plus the stand-ins. */
  public static ComponentRegistry registry() {
    ComponentRegistry loaded = ComponentRegistry.load();
    ComponentRegistry.Builder b = ComponentRegistry.builder()
        .add(ComponentKind.RECEIVER, new StandInReceiverFactory());
    for (ComponentKind kind : ComponentKind.values()) {
      for (String t : loaded.types(kind)) {
        if (!t.equals("stand_in")) {
          b.add(kind, loaded.factory(kind, t));
        }
      }
    }
    return b.build();
  }

  /** The text of {@code testdata/NAME}. */
  public static String yaml(String name) {
    try (InputStream in = ConfigTestdata.class.getResourceAsStream("/testdata/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no testdata/" + name + " on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads {@code testdata/NAME}; throws the loader's ConfigException for a bad one. */
  public static GatewayConfig load(String name) {
    return new ConfigLoader(registry()).load(yaml(name));
  }
}
