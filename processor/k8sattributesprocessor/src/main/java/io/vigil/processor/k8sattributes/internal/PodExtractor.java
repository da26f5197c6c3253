package io.vigil.processor.k8sattributes.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Works out a pod's attributes once, when the informer reports it: metadata, owner workloads
 * (the deployment through its ReplicaSet), labels and annotations, the semantic-convention
 * {@code service.*} attributes, and each container's own attributes.
 */
public final class PodExtractor {
  private static final String OTEL_ANNOTATION = "resource.opentelemetry.io/";

  private final ExtractionRules rules;
  private final List<FieldRule> podRules;
  /** The ReplicaSet of a namespace and name, null when not (yet) known or not watched. */
  private final BiFunction<String, String, ReplicaSet> replicaSets;

  public PodExtractor(ExtractionRules rules, BiFunction<String, String, ReplicaSet> replicaSets) {
    this.rules = rules;
    this.podRules = rules.rulesFrom("pod");
    this.replicaSets = replicaSets;
  }

  public PodRecord extract(Pod pod) {
    var meta = pod.getMetadata();
    String ns = nz(meta.getNamespace());
    String name = nz(meta.getName());
    String uid = nz(meta.getUid());
    var spec = pod.getSpec();
    var status = pod.getStatus();
    boolean hostNetwork = spec != null && Boolean.TRUE.equals(spec.getHostNetwork());
    String ip = status == null || hostNetwork ? null : emptyToNull(status.getPodIP());
    String node = spec == null ? "" : nz(spec.getNodeName());
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    Map<String, String> annotations =
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();

    Owners owners = owners(pod, ns, labels);
    Map<String, String> a = new LinkedHashMap<>();
    put(a, "k8s.namespace.name", ns);
    put(a, "k8s.pod.name", name);
    put(a, "k8s.pod.uid", uid);
    put(a, "k8s.pod.hostname", spec == null ? null : spec.getHostname());
    put(a, "k8s.pod.ip", ip);
    put(a, "k8s.pod.start_time", meta.getCreationTimestamp());
    put(a, "k8s.replicaset.name", owners.replicaSetName);
    put(a, "k8s.replicaset.uid", owners.replicaSetUid);
    put(a, "k8s.deployment.name", owners.deploymentName);
    put(a, "k8s.deployment.uid", owners.deploymentUid);
    put(a, "k8s.daemonset.name", owners.daemonSetName);
    put(a, "k8s.daemonset.uid", owners.daemonSetUid);
    put(a, "k8s.statefulset.name", owners.statefulSetName);
    put(a, "k8s.statefulset.uid", owners.statefulSetUid);
    put(a, "k8s.job.name", owners.jobName);
    put(a, "k8s.job.uid", owners.jobUid);
    put(a, "k8s.node.name", node);
    // https://opentelemetry.io/docs/specs/semconv/non-normative/k8s-attributes/: the annotation,
    // then the well-known labels, then the workload, each only when the rule is on.
    put(a, "service.namespace", first(annotations.get(OTEL_ANNOTATION + "service.namespace"),
        ns));
    put(a, "service.name", first(annotations.get(OTEL_ANNOTATION + "service.name"),
        labels.get("app.kubernetes.io/instance"), labels.get("app.kubernetes.io/name"),
        owners.deploymentName, owners.replicaSetName, owners.statefulSetName,
        owners.daemonSetName, owners.jobName, name));
    put(a, "service.version", first(annotations.get(OTEL_ANNOTATION + "service.version"),
        labels.get("app.kubernetes.io/version")));
    put(a, "service.instance.id", annotations.get(OTEL_ANNOTATION + "service.instance.id"));

    List<KeyValue> attrs = new ArrayList<>(a.size() + 4);
    a.forEach((k, v) -> attrs.add(Attrs.kv(k, v)));
    for (FieldRule r : podRules) {
      r.extract(r.isAnnotation() ? annotations : labels, attrs);
    }
    return containers(pod, uid, name, ns, ip, node, List.copyOf(attrs));
  }

  private PodRecord containers(Pod pod, String uid, String name, String ns, String ip,
      String node, List<KeyValue> attrs) {
    Map<String, PodRecord.Container> byName = new HashMap<>();
    Map<String, PodRecord.Container> byId = new HashMap<>();
    boolean any = rules.wants("k8s.container.name") || rules.wants("container.id")
        || rules.wants("container.image.name") || rules.wants("container.image.tag")
        || rules.wants("service.instance.id") || rules.wants("service.version");
    if (any && pod.getSpec() != null && pod.getSpec().getContainers() != null) {
      Map<String, String> ids = new HashMap<>();
      if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
        for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
          if (s != null && s.getName() != null && s.getContainerID() != null) {
            ids.put(s.getName(), stripScheme(s.getContainerID()));
          }
        }
      }
      for (Container c : pod.getSpec().getContainers()) {
        if (c == null || c.getName() == null) {
          continue;
        }
        String id = ids.get(c.getName());
        Image image = Image.parse(c.getImage());
        Map<String, String> a = new LinkedHashMap<>();
        put(a, "k8s.container.name", c.getName());
        put(a, "container.id", id);
        put(a, "container.image.name", image == null ? null : image.name);
        put(a, "container.image.tag", image == null ? null : image.tag);
        put(a, "service.version", image == null ? null : image.tag);
        put(a, "service.instance.id", ns + "." + name + "." + c.getName());
        List<KeyValue> ca = new ArrayList<>(a.size());
        a.forEach((k, v) -> ca.add(Attrs.kv(k, v)));
        PodRecord.Container container = new PodRecord.Container(c.getName(), id, List.copyOf(ca));
        byName.put(c.getName(), container);
        if (id != null) {
          byId.put(id, container);
        }
      }
    }
    return new PodRecord(uid, name, ns, ip, node, attrs, Map.copyOf(byId), Map.copyOf(byName));
  }

  private Owners owners(Pod pod, String ns, Map<String, String> labels) {
    Owners o = new Owners();
    List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
    if (refs == null) {
      return o;
    }
    for (OwnerReference r : refs) {
      if (r == null || r.getKind() == null) {
        continue;
      }
      switch (r.getKind()) {
        case "ReplicaSet" -> {
          o.replicaSetName = r.getName();
          o.replicaSetUid = r.getUid();
          deployment(o, ns, r.getName(), labels.get("pod-template-hash"));
        }
        case "DaemonSet" -> {
          o.daemonSetName = r.getName();
          o.daemonSetUid = r.getUid();
        }
        case "StatefulSet" -> {
          o.statefulSetName = r.getName();
          o.statefulSetUid = r.getUid();
        }
        case "Job" -> {
          o.jobName = r.getName();
          o.jobUid = r.getUid();
        }
        default -> { }
      }
    }
    return o;
  }

  /**
   * The deployment of a ReplicaSet: its controlling owner when the ReplicaSet is watched and
   * known; else the ReplicaSet's name minus the {@code -<pod-template-hash>} suffix, as the
   * Collector's deployment_name_from_replicaset does (with the hash label proving the suffix is
   * the hash when the pod carries it).
   */
  private void deployment(Owners o, String ns, String rsName, String hash) {
    if (rsName == null) {
      return;
    }
    if (!rules.deploymentNameFromReplicaset) {
      ReplicaSet rs = replicaSets.apply(ns, rsName);
      if (rs != null) {
        for (OwnerReference r : ownerRefs(rs)) {
          if ("Deployment".equals(r.getKind())) {
            o.deploymentName = r.getName();
            o.deploymentUid = r.getUid();
          }
        }
        return;
      }
      if (hash == null || !rsName.endsWith("-" + hash)) {
        return;
      }
    }
    int dash = rsName.lastIndexOf('-');
    if (dash > 0) {
      o.deploymentName = rsName.substring(0, dash);
    }
  }

  private static List<OwnerReference> ownerRefs(HasMetadata h) {
    var refs = h.getMetadata() == null ? null : h.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs.stream().filter(r -> r != null).toList();
  }

  private void put(Map<String, String> a, String key, String value) {
    if (value != null && !value.isEmpty() && rules.wants(key)) {
      a.put(key, value);
    }
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  static String stripScheme(String containerId) {
    int i = containerId.indexOf("://");
    return i < 0 ? containerId : containerId.substring(i + 3);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static final class Owners {
    String replicaSetName;
    String replicaSetUid;
    String deploymentName;
    String deploymentUid;
    String daemonSetName;
    String daemonSetUid;
    String statefulSetName;
    String statefulSetUid;
    String jobName;
    String jobUid;
  }

  /**
   * An image reference split as the Collector does (Kubernetes' parsers.ParseImageName):
   * the normalised repository ({@code nginx} is {@code docker.io/library/nginx}) and the tag,
   * {@code latest} when there is neither tag nor digest.
   */
  record Image(String name, String tag) {
    static Image parse(String image) {
      if (image == null || image.isBlank()) {
        return null;
      }
      String ref = image;
      boolean digest = false;
      int at = ref.indexOf('@');
      if (at >= 0) {
        ref = ref.substring(0, at);
        digest = true;
      }
      int colon = ref.lastIndexOf(':');
      String tag = null;
      if (colon > ref.lastIndexOf('/')) {
        tag = ref.substring(colon + 1);
        ref = ref.substring(0, colon);
      }
      if (ref.isEmpty()) {
        return null;
      }
      int slash = ref.indexOf('/');
      String first = slash < 0 ? "" : ref.substring(0, slash);
      if (slash < 0) {
        ref = "docker.io/library/" + ref;
      } else if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
        ref = "docker.io/" + ref;
      }
      return new Image(ref, tag == null || tag.isEmpty() ? (digest ? null : "latest") : tag);
    }
  }
}
