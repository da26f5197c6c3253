package io.vigil.processor.k8sattributes.internal;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out a pod's attributes once, when the informer reports it: metadata, owner workloads
 * (the deployment through its ReplicaSet, the CronJob through its Job), the cluster's UID,
 * labels and annotations, the semantic-convention {@code service.*} attributes, and each
 * container's own attributes.
 */
public final class PodExtractor {
  private static final String OTEL_ANNOTATION = "resource.opentelemetry.io/";
  /** A CronJob names its Jobs {@code <cronjob>-<scheduled minutes>}: the Collector's pattern. */
  private static final Pattern CRONJOB_JOB_NAME = Pattern.compile("(.*)-\\d+");

  private final ExtractionRules rules;
  private final List<FieldRule> podRules;
  private final OwnerLookup owners;

  public PodExtractor(ExtractionRules rules, OwnerLookup owners) {
    this.rules = rules;
    this.podRules = rules.rulesFrom("pod");
    this.owners = owners;
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
    put(a, "k8s.cronjob.name", owners.cronJobName);
    put(a, "k8s.cronjob.uid", owners.cronJobUid);
    put(a, "k8s.node.name", node);
    if (rules.needsClusterUid()) {
      put(a, "k8s.cluster.uid", this.owners.clusterUid());
    }
    // https://opentelemetry.io/docs/specs/semconv/non-normative/k8s-attributes/: the annotation,
    // then the well-known labels, then the workload, each only when the rule is on.
    put(a, "service.namespace", first(annotations.get(OTEL_ANNOTATION + "service.namespace"),
        ns));
    put(a, "service.name", first(annotations.get(OTEL_ANNOTATION + "service.name"),
        labels.get("app.kubernetes.io/instance"), labels.get("app.kubernetes.io/name"),
        owners.deploymentName, owners.replicaSetName, owners.statefulSetName,
        owners.daemonSetName, owners.cronJobName, owners.jobName, name));
    put(a, "service.version", first(annotations.get(OTEL_ANNOTATION + "service.version"),
        labels.get("app.kubernetes.io/version")));
    put(a, "service.instance.id", annotations.get(OTEL_ANNOTATION + "service.instance.id"));

    List<KeyValue> attrs = new ArrayList<>(a.size() + 4);
    a.forEach((k, v) -> attrs.add(Attrs.kv(k, v)));
    for (FieldRule r : podRules) {
      r.extract(r.isAnnotation() ? annotations : labels, attrs);
    }
    Map<String, String> ownerUids = new HashMap<>();
    putUid(ownerUids, "deployment", owners.deploymentUid);
    putUid(ownerUids, "statefulset", owners.statefulSetUid);
    putUid(ownerUids, "daemonset", owners.daemonSetUid);
    putUid(ownerUids, "job", owners.jobUid);
    return containers(pod, uid, name, ns, ip, node, List.copyOf(attrs), Map.copyOf(ownerUids));
  }

  private static void putUid(Map<String, String> m, String kind, String uid) {
    if (uid != null && !uid.isEmpty()) {
      m.put(kind, uid);
    }
  }

  private PodRecord containers(Pod pod, String uid, String name, String ns, String ip,
      String node, List<KeyValue> attrs, Map<String, String> ownerUids) {
    Map<String, PodRecord.Container> byName = new HashMap<>();
    Map<String, PodRecord.Container> byId = new HashMap<>();
    if (rules.needsContainers() && pod.getSpec() != null) {
      Map<String, ContainerStatus> statuses = new HashMap<>();
      if (pod.getStatus() != null) {
        addStatuses(statuses, pod.getStatus().getContainerStatuses());
        addStatuses(statuses, pod.getStatus().getInitContainerStatuses());
      }
      List<Container> specs = new ArrayList<>();
      if (pod.getSpec().getContainers() != null) {
        specs.addAll(pod.getSpec().getContainers());
      }
      if (pod.getSpec().getInitContainers() != null) {
        specs.addAll(pod.getSpec().getInitContainers());
      }
      for (Container c : specs) {
        if (c == null || c.getName() == null) {
          continue;
        }
        ContainerStatus st = statuses.get(c.getName());
        String id = st == null || st.getContainerID() == null ? null
            : stripScheme(st.getContainerID());
        Image image = Image.parse(c.getImage());
        Map<String, String> a = new LinkedHashMap<>();
        put(a, "k8s.container.name", c.getName());
        put(a, "container.image.name", image == null ? null : image.name);
        put(a, "container.image.tag", image == null ? null : image.tag);
        put(a, "service.version", image == null ? null : image.version);
        put(a, "service.instance.id", ns + "." + name + "." + c.getName());
        List<KeyValue> ca = new ArrayList<>(a.size());
        a.forEach((k, v) -> ca.add(Attrs.kv(k, v)));
        List<KeyValue> run = new ArrayList<>(2);
        if (id != null && !id.isEmpty() && rules.wants("container.id")) {
          run.add(Attrs.kv("container.id", id));
        }
        String digest = st == null ? null : RepoDigest.canonical(st.getImageID());
        if (digest != null && rules.wants("container.image.repo_digests")) {
          run.add(Attrs.array("container.image.repo_digests", digest));
        }
        int restarts = st == null || st.getRestartCount() == null ? 0 : st.getRestartCount();
        PodRecord.Container container = new PodRecord.Container(c.getName(), id,
            List.copyOf(ca), restarts, List.copyOf(run));
        byName.put(c.getName(), container);
        if (id != null) {
          byId.put(id, container);
        }
      }
    }
    return new PodRecord(uid, name, ns, ip, node, attrs, ownerUids, Map.copyOf(byId),
        Map.copyOf(byName));
  }

  private static void addStatuses(Map<String, ContainerStatus> into, List<ContainerStatus> s) {
    if (s != null) {
      for (ContainerStatus st : s) {
        if (st != null && st.getName() != null) {
          into.put(st.getName(), st);
        }
      }
    }
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
          cronJob(o, ns, r.getName());
        }
        default -> { }
      }
    }
    return o;
  }

  /**
   * The CronJob of a Job: the Job's controlling owner when Jobs are watched and this one is
   * known (the only source of the CronJob's UID); else, for the name, the Job's name minus the
   * {@code -<digits>} suffix the CronJob controller appends, as the Collector derives it.
   */
  private void cronJob(Owners o, String ns, String jobName) {
    if (jobName == null) {
      return;
    }
    Job job = owners.job(ns, jobName);
    if (job != null) {
      for (OwnerReference r : ownerRefs(job)) {
        if ("CronJob".equals(r.getKind()) && Boolean.TRUE.equals(r.getController())) {
          o.cronJobName = r.getName();
          o.cronJobUid = r.getUid();
        }
      }
      return;
    }
    Matcher m = CRONJOB_JOB_NAME.matcher(jobName);
    if (m.matches() && !m.group(1).isEmpty()) {
      o.cronJobName = m.group(1);
    }
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
    ReplicaSet rs = owners.replicaSet(ns, rsName);
    if (rs != null) {
      for (OwnerReference r : ownerRefs(rs)) {
        if ("Deployment".equals(r.getKind())) {
          o.deploymentName = r.getName();
          o.deploymentUid = r.getUid();
        }
      }
    }
    if (rules.deploymentNameFromReplicaset) {
      o.deploymentName = null;
    } else if (rs != null || hash == null || !rsName.endsWith("-" + hash)) {
      return;
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
    String cronJobName;
    String cronJobUid;
  }

  /**
   * An image reference split as the Collector does (the distribution library's reference
   * parser): the repository as written (no registry is added), the tag ({@code latest} when
   * none is given, even with a digest) and the semantic conventions' {@code service.version}:
   * {@code <tag>@<digest>}, the digest alone, or the tag, whichever the reference has.
   */
  record Image(String name, String tag, String version) {
    static Image parse(String image) {
      if (image == null || image.isBlank()) {
        return null;
      }
      String ref = image;
      String digest = null;
      int at = ref.indexOf('@');
      if (at >= 0) {
        digest = ref.substring(at + 1);
        ref = ref.substring(0, at);
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
      boolean tagged = tag != null && !tag.isEmpty();
      boolean digested = digest != null && !digest.isEmpty();
      String version = tagged && digested ? tag + "@" + digest
          : digested ? digest : tagged ? tag : null;
      return new Image(ref, tagged ? tag : "latest", version);
    }
  }
}
