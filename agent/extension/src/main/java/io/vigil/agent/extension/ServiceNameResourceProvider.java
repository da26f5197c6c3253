package io.vigil.agent.extension;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.ConditionalResourceProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.io.File;
import java.util.Map;

/**
 * A service name for applications that set none, instead of {@code unknown_service:java}: the
 * Kubernetes deployment, else the container, else the main class or jar the JVM was started
 * with. It applies only while the name is still unknown, so {@code otel.service.name},
 * {@code OTEL_RESOURCE_ATTRIBUTES} and the agent's own detectors keep priority.
 */
public final class ServiceNameResourceProvider implements ConditionalResourceProvider {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  @Override
  public boolean shouldApply(ConfigProperties config, Resource existing) {
    String configured = config.getString("otel.service.name");
    if (configured != null && !configured.isEmpty()) {
      return false;
    }
    if (config.getMap("otel.resource.attributes").containsKey("service.name")) {
      return false;
    }
    String current = existing.getAttribute(SERVICE_NAME);
    return current == null || current.startsWith("unknown_service");
  }

  @Override
  public Resource createResource(ConfigProperties config) {
    String name = serviceName(System.getenv(), System.getProperty("sun.java.command", ""));
    return name == null ? Resource.empty() : Resource.create(Attributes.of(SERVICE_NAME, name));
  }

  static String serviceName(Map<String, String> env, String javaCommand) {
    for (String key : new String[] {"K8S_DEPLOYMENT_NAME", "K8S_CONTAINER_NAME"}) {
      String v = env.get(key);
      if (v != null && !v.trim().isEmpty()) {
        return v.trim();
      }
    }
    String main = javaCommand.trim().split("\\s+")[0];
    if (main.isEmpty()) {
      return null;
    }
    if (main.endsWith(".jar")) {
      String file = main.substring(
          Math.max(main.lastIndexOf('/'), main.lastIndexOf(File.separatorChar)) + 1);
      return file.substring(0, file.length() - 4);
    }
    return main.substring(main.lastIndexOf('.') + 1);
  }

  @Override
  public int order() {
    // Late: the agent's jar-name detector and the SDK's defaults come first.
    return 1000;
  }
}
