package io.vigil.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vigil-gateway container of a rendered workload, with the config it will run: the file its
 * {@code --config} names, read from the ConfigMap mounted there, loaded by the gateway's own
 * {@link ConfigLoader} with the container's environment (downward-API values stood in for).
 */
final class GatewayContainer {

  static final String IMAGE = "vigil/gateway";

  final RenderedOverlay overlay;
  final RenderedOverlay.Workload workload;
  final Container container;
  final String configText;
  final Map<String, String> env;
  final GatewayConfig config;
  private final JsonNode raw;

  private GatewayContainer(RenderedOverlay overlay, RenderedOverlay.Workload workload,
      Container container) {
    this.overlay = overlay;
    this.workload = workload;
    this.container = container;
    this.configText = configText();
    this.env = environment(container);
    this.config = new ConfigLoader(ComponentRegistry.load(), new EnvSubstitution(env::get))
        .load(configText);
    try {
      this.raw = new YAMLMapper().readTree(configText);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<GatewayContainer> in(RenderedOverlay overlay) {
    return overlay.workloads().stream()
        .flatMap(w -> w.template().getSpec().getContainers().stream()
            .filter(c -> imageName(c.getImage()).equals(IMAGE))
            .map(c -> new GatewayContainer(overlay, w, c)))
        .toList();
  }

  static String imageName(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  String name() {
    return overlay + ": " + workload.name() + " container " + container.getName();
  }

  /** Value of the environment variable as the pod would have it, stand-ins for field refs. */
  static Map<String, String> environment(Container c) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        env.put(e.getName(), switch (e.getValueFrom().getFieldRef().getFieldPath()) {
          case "status.hostIP", "status.podIP" -> "192.0.2.10";
          case "spec.nodeName" -> "node-a";
          case "metadata.name" -> "pod-a";
          case "metadata.namespace" -> "observability";
          default -> "stand-in";
        });
      } else {
        env.put(e.getName(), "stand-in");
      }
    }
    return env;
  }

  private String configText() {
    List<String> args = container.getArgs();
    int at = args.indexOf("--config");
    if (at < 0 || at + 1 >= args.size()) {
      throw new AssertionError(name() + ": no --config argument, it would run the built-in"
          + " config: " + args);
    }
    String path = args.get(at + 1);
    for (VolumeMount m : container.getVolumeMounts()) {
      String prefix = m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/";
      if (!path.startsWith(prefix)) {
        continue;
      }
      Volume volume = workload.template().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals(m.getName())).findFirst()
          .orElseThrow(() -> new AssertionError(name() + ": no volume " + m.getName()));
      if (volume.getConfigMap() == null) {
        throw new AssertionError(name() + ": " + path + " is not on a ConfigMap volume");
      }
      String key = path.substring(prefix.length());
      String text = overlay.configMap(volume.getConfigMap().getName()).getData().get(key);
      if (text == null) {
        throw new AssertionError(name() + ": ConfigMap " + volume.getConfigMap().getName()
            + " has no key " + key);
      }
      return text;
    }
    throw new AssertionError(name() + ": " + path + " is on no volume mount");
  }

  /** The config's string at a path, env references expanded; empty if the path is absent. */
  Optional<String> value(String... path) {
    JsonNode node = raw;
    for (String p : path) {
      node = node.path(p);
    }
    if (!node.isTextual()) {
      return Optional.empty();
    }
    return Optional.of(new EnvSubstitution(env::get).expand(node.asText(),
        String.join("::", path)));
  }

  Optional<InetSocketAddress> otlpGrpc() {
    return value("receivers", "otlp", "protocols", "grpc", "endpoint")
        .map(a -> HostPort.parse(a, "grpc"));
  }

  Optional<InetSocketAddress> otlpHttp() {
    return value("receivers", "otlp", "protocols", "http", "endpoint")
        .map(a -> HostPort.parse(a, "http"));
  }

  InetSocketAddress admin() {
    return HostPort.parse(config.telemetry().metrics.address, "admin");
  }

  /** The container port a probe's or Service's port (number or name) stands for. */
  static Optional<ContainerPort> port(Container c, IntOrString port) {
    return c.getPorts().stream()
        .filter(p -> port.getIntVal() != null
            ? p.getContainerPort().equals(port.getIntVal())
            : port.getStrVal().equals(p.getName()))
        .findFirst();
  }
}
