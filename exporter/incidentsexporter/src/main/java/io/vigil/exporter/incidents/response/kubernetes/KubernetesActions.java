package io.vigil.exporter.incidents.response.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import io.vigil.exporter.incidents.response.action.PlainTemplate;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes actions ({@code rollout_restart}, {@code scale}, {@code cordon}) and the one
 * client they share. The client is built on the first action, not at start: a gateway whose
 * rules never fire needs no reachable cluster, and a kubeconfig that breaks later fails the
 * action (audited, counted by the circuit breaker), not the pipeline.
 */
public final class KubernetesActions implements AutoCloseable {

  public static final Set<String> TYPES = Set.of("rollout_restart", "scale", "cordon");
  private static final Set<String> KINDS = Set.of("deployment", "statefulset");

  private final ResponseConfig.Kubernetes config;
  private final Clock clock;
  private KubernetesClient client;

  public KubernetesActions(ResponseConfig.Kubernetes config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Checks {@code response::kubernetes}. */
  public static void validate(ResponseConfig.Kubernetes k, String at) {
    if (k == null) {
      throw new ConfigException(at, "must be a block with kubeconfig and context");
    }
    if (k.kubeconfig == null || k.context == null) {
      throw new ConfigException(at, "kubeconfig and context must be strings (\"\" = default)");
    }
    if (!k.kubeconfig.isEmpty() && !Files.isReadable(Path.of(k.kubeconfig))) {
      throw new ConfigException(at + "::kubeconfig", "cannot read \"" + k.kubeconfig + "\"");
    }
  }

  /** Checks a rule's Kubernetes action; names without placeholders are checked now. */
  public static void validate(ResponseConfig.Action a, String at) {
    switch (a.type) {
      case "rollout_restart", "scale" -> {
        if (a.kind == null || !KINDS.contains(a.kind)) {
          throw new ConfigException(at + "::kind", "expected deployment or statefulset, got \""
              + a.kind + "\"");
        }
        name(a.namespace, at + "::namespace", true);
        name(a.name, at + "::name", false);
        if (a.type.equals("scale")) {
          scale(a, at);
        }
      }
      case "cordon" -> name(a.node, at + "::node", false);
      default -> throw new IllegalArgumentException(a.type);
    }
  }

  private static void name(String template, String at, boolean namespace) {
    if (template == null || template.isEmpty()) {
      throw new ConfigException(at, "required");
    }
    try {
      PlainTemplate.check(template);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at, e.getMessage());
    }
    if (!PlainTemplate.hasPlaceholder(template)) {
      try {
        if (namespace) {
          KubernetesNames.namespace(template, "namespace");
        } else {
          KubernetesNames.object(template, "name");
        }
      } catch (ActionRefusedException e) {
        throw new ConfigException(at, e.getMessage());
      }
    }
  }

  private static void scale(ResponseConfig.Action a, String at) {
    if ((a.replicas == null) == (a.by == null)) {
      throw new ConfigException(at, "give either replicas (a count) or by (a change)");
    }
    if (a.maxReplicas == null) {
      throw new ConfigException(at + "::max_replicas", "required: the most replicas a rule"
          + " may scale to");
    }
    if (a.minReplicas < 0) {
      throw new ConfigException(at + "::min_replicas", "must be 0 or more");
    }
    if (a.maxReplicas < a.minReplicas) {
      throw new ConfigException(at + "::max_replicas", "must be at least min_replicas ("
          + a.minReplicas + ")");
    }
    if (a.replicas != null && (a.replicas < a.minReplicas || a.replicas > a.maxReplicas)) {
      throw new ConfigException(at + "::replicas", "must be within min_replicas and"
          + " max_replicas (" + a.minReplicas + ".." + a.maxReplicas + ")");
    }
    if (a.by != null && a.by == 0) {
      throw new ConfigException(at + "::by", "must not be 0");
    }
  }

  /** The action for this incident; throws when a rendered name is not a Kubernetes name. */
  public ActionCall prepare(ResponseConfig.Action a, Map<String, String> values) {
    return switch (a.type) {
      case "rollout_restart" -> new RolloutRestart(this, workload(a, values), clock);
      case "scale" -> new Scale(this, workload(a, values), a.replicas, a.by, a.minReplicas,
          a.maxReplicas);
      case "cordon" -> new Cordon(this,
          KubernetesNames.object(PlainTemplate.render(a.node, values), "node"));
      default -> throw new IllegalArgumentException(a.type);
    };
  }

  private static Workload workload(ResponseConfig.Action a, Map<String, String> values) {
    return new Workload(a.kind,
        KubernetesNames.namespace(PlainTemplate.render(a.namespace, values), "namespace"),
        KubernetesNames.object(PlainTemplate.render(a.name, values), a.kind));
  }

  /** What the circuit breaker keys on: the cluster, as configured. */
  String target() {
    return "kubernetes " + (config.kubeconfig.isEmpty() ? "(in-cluster or default kubeconfig)"
        : config.kubeconfig) + (config.context.isEmpty() ? "" : " context " + config.context);
  }

  synchronized KubernetesClient client() {
    if (client == null) {
      String context = config.context.isEmpty() ? null : config.context;
      Config c = config.kubeconfig.isEmpty() ? Config.autoConfigure(context)
          : Config.fromKubeconfig(context, new File(config.kubeconfig));
      // An action is retried by its rule, not by the client: a failure is reported (and
      // counted by the circuit breaker) at once instead of after the client's backoff.
      c.setRequestRetryBackoffLimit(0);
      client = new KubernetesClientBuilder().withConfig(c).build();
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
