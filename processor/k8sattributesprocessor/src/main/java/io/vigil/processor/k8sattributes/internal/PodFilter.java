package io.vigil.processor.k8sattributes.internal;

import com.google.re2j.Pattern;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.api.model.PodList;
import io.vigil.processor.k8sattributes.K8sAttributesConfig;
import io.vigil.processor.k8sattributes.K8sAttributesConfig.FieldFilter;
import java.util.List;
import java.util.Map;

/**
 * {@code filter}, {@code exclude} and the pods' own opt-out annotation
 * ({@code opentelemetry.io/k8s-processor-ignore: "true"}): the selectors the pod informer lists and watches with, so
 * the API server sends only the selected pods, and the same test applied to each pod received,
 * so the table stays bounded by the filter even when a server ignores a selector.
 */
public final class PodFilter {
  /** The annotation by which a pod asks the Collector's processor to leave it out. */
  static final String IGNORE = "opentelemetry.io/k8s-processor-ignore";

  private final String node;
  private final String namespace;
  private final List<FieldFilter> fields;
  private final List<FieldFilter> labels;
  private final List<Pattern> excluded;

  public PodFilter(K8sAttributesConfig c, Map<String, String> env) {
    K8sAttributesConfig.Filter f = c.filter;
    // As the Collector: a named variable wins over node, even when it is unset (then every
    // node's pods are watched; the factory warns).
    this.node = f.nodeFromEnvVar.isEmpty() ? f.node
        : env.getOrDefault(f.nodeFromEnvVar, "");
    this.namespace = f.namespace;
    this.fields = List.copyOf(f.fields);
    this.labels = List.copyOf(f.labels);
    this.excluded = c.exclude.pods.stream().map(p -> Pattern.compile(p.name)).toList();
  }

  /** The node pods are restricted to, empty for all. */
  public String node() {
    return node;
  }

  /** The namespace pods are restricted to, empty for all. */
  public String namespace() {
    return namespace;
  }

  /** The server-side selection: namespace, node, field and label selectors. */
  public FilterWatchListDeletable<Pod, PodList, PodResource> select(
      io.fabric8.kubernetes.client.KubernetesClient client) {
    FilterWatchListDeletable<Pod, PodList, PodResource> q = namespace.isEmpty()
        ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace);
    if (!node.isEmpty()) {
      q = q.withField("spec.nodeName", node);
    }
    for (FieldFilter ff : fields) {
      q = "equals".equals(ff.op) ? q.withField(ff.key, ff.value) : q.withoutField(ff.key, ff.value);
    }
    for (FieldFilter lf : labels) {
      q = switch (lf.op) {
        case "equals" -> q.withLabel(lf.key, lf.value);
        case "not-equals" -> q.withoutLabel(lf.key, lf.value);
        case "exists" -> q.withLabel(lf.key);
        default -> q.withoutLabel(lf.key);
      };
    }
    return q;
  }

  /** Whether a pod the informer reported belongs in the table. */
  public boolean accepts(Pod pod) {
    var meta = pod.getMetadata();
    if (meta == null || meta.getUid() == null) {
      return false;
    }
    String name = meta.getName() == null ? "" : meta.getName();
    String ignore = meta.getAnnotations() == null ? null : meta.getAnnotations().get(IGNORE);
    if (ignore != null && ignore.trim().equalsIgnoreCase("true")) {
      return false;
    }
    for (Pattern p : excluded) {
      if (p.matcher(name).matches()) {
        return false;
      }
    }
    if (!namespace.isEmpty() && !namespace.equals(meta.getNamespace())) {
      return false;
    }
    String podNode = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    if (!node.isEmpty() && !node.equals(podNode)) {
      return false;
    }
    for (FieldFilter ff : fields) {
      String v = field(pod, ff.key);
      if (v != null && ("equals".equals(ff.op) != v.equals(ff.value))) {
        return false;
      }
    }
    Map<String, String> podLabels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    for (FieldFilter lf : labels) {
      String v = podLabels.get(lf.key);
      boolean ok = switch (lf.op) {
        case "equals" -> lf.value.equals(v);
        case "not-equals" -> !lf.value.equals(v);
        case "exists" -> v != null;
        default -> v == null;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The value of a field selector key this side can read; null for ones only the server can. */
  private static String field(Pod pod, String key) {
    return switch (key) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "spec.nodeName" -> pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      case "status.phase" -> pod.getStatus() == null ? null : pod.getStatus().getPhase();
      default -> null;
    };
  }
}
