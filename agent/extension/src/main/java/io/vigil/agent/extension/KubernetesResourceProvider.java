package io.vigil.agent.extension;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;

/**
 * Resource attributes from the Kubernetes downward API, passed to the container as environment
 * variables ({@code K8S_POD_NAME} from {@code metadata.name}, and so on). The service name is
 * {@link ServiceNameResourceProvider}'s business.
 */
public final class KubernetesResourceProvider implements ResourceProvider {

  static final String[][] ENV_TO_ATTRIBUTE = {
    {"K8S_POD_NAME", "k8s.pod.name"},
    {"K8S_POD_UID", "k8s.pod.uid"},
    {"K8S_NAMESPACE_NAME", "k8s.namespace.name"},
    {"K8S_NODE_NAME", "k8s.node.name"},
    {"K8S_CONTAINER_NAME", "k8s.container.name"},
    {"K8S_DEPLOYMENT_NAME", "k8s.deployment.name"},
  };

  @Override
  public Resource createResource(ConfigProperties config) {
    return fromEnvironment(System.getenv());
  }

  static Resource fromEnvironment(Map<String, String> env) {
    AttributesBuilder b = Attributes.builder();
    for (String[] pair : ENV_TO_ATTRIBUTE) {
      String v = env.get(pair[0]);
      if (v != null && !v.trim().isEmpty()) {
        b.put(AttributeKey.stringKey(pair[1]), v.trim());
      }
    }
    return Resource.create(b.build());
  }

}
