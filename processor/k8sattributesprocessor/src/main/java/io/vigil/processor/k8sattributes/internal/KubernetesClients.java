package io.vigil.processor.k8sattributes.internal;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.k8sattributes.K8sAttributesConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The API client for {@code auth_type}, built as the Collector's k8sconfig.MakeClient does. */
public final class KubernetesClients {
  private static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private KubernetesClients() {}

  public static KubernetesClient create(K8sAttributesConfig c, Map<String, String> env) {
    return new KubernetesClientBuilder().withConfig(config(c, env)).build();
  }

  static Config config(K8sAttributesConfig c, Map<String, String> env) {
    String context = c.context.isEmpty() ? null : c.context;
    switch (c.authType) {
      case "kubeConfig": {
        String path = !c.kubeConfigPath.isEmpty() ? c.kubeConfigPath
            : env.getOrDefault("KUBECONFIG", System.getProperty("user.home") + "/.kube/config");
        path = path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
        File file = new File(path.split(File.pathSeparator)[0]);
        if (!file.isFile()) {
          throw new ConfigException("kube_config_path", "no kubeconfig file at " + file);
        }
        return Config.fromKubeconfig(context, file);
      }
      case "none":
        // In-cluster address, no credentials: an API server proxy (kubectl proxy) in the pod.
        return new ConfigBuilder(Config.empty()).withMasterUrl(inClusterUrl(env)).build();
      default: {
        Path token = SERVICE_ACCOUNT.resolve("token");
        if (!Files.isReadable(token)) {
          throw new ConfigException("auth_type", "serviceAccount needs the pod's service account"
              + " token at " + token + " (not running in a pod?); use auth_type: kubeConfig"
              + " outside a cluster");
        }
        return new ConfigBuilder(Config.empty())
            .withMasterUrl(inClusterUrl(env))
            .withCaCertFile(SERVICE_ACCOUNT.resolve("ca.crt").toString())
            .withAutoOAuthToken(null)
            .withOauthTokenProvider(() -> read(token))
            .build();
      }
    }
  }

  private static String inClusterUrl(Map<String, String> env) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.get("KUBERNETES_SERVICE_PORT");
    if (host == null || host.isEmpty() || port == null || port.isEmpty()) {
      throw new ConfigException("auth_type", "KUBERNETES_SERVICE_HOST and"
          + " KUBERNETES_SERVICE_PORT are not set (not running in a pod?); use auth_type:"
          + " kubeConfig outside a cluster");
    }
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The token as the kubelet rotates it: read afresh on each request that needs it. */
  private static String read(Path token) {
    try {
      return Files.readString(token).trim();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
