package io.vigil.agent.extension;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Vigil's distribution on every resource: {@code telemetry.distro.name = vigil} and
 * {@code telemetry.distro.version} = the Vigil version, as vendor distributions of the agent set
 * their own instead of the upstream's {@code opentelemetry-java-instrumentation}. The upstream
 * agent's version stays in {@code telemetry.sdk.*} and in its start-up log line.
 */
public final class VigilDistro {

  static final String NAME = "vigil";
  static final AttributeKey<String> DISTRO_NAME = AttributeKey.stringKey("telemetry.distro.name");
  static final AttributeKey<String> DISTRO_VERSION =
      AttributeKey.stringKey("telemetry.distro.version");
  private static final String VERSION = readVersion();

  private VigilDistro() {}

  /** The Vigil version this extension was built as; {@code unknown} if the build lost it. */
  public static String version() {
    return VERSION;
  }

  /**
   * {@code resource} with Vigil's distro attributes. Applied as a resource customizer, after
   * every resource provider (the upstream's distro provider included), so Vigil's values win.
   */
  static Resource apply(Resource resource) {
    return resource.merge(
        Resource.create(Attributes.of(DISTRO_NAME, NAME, DISTRO_VERSION, VERSION)));
  }

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = VigilDistro.class.getResourceAsStream("vigil-agent.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    String v = p.getProperty("version");
    return v == null || v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }
}
