package io.vigil.processor.k8sattributes.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The fabric8 shared informers that mirror the cluster in memory: pods (as selected by
 * {@code filter}) into the {@link PodTable}, and, only when the extract rules need them (as the
 * Collector decides), ReplicaSets (for the deployment), Jobs (for the CronJob's UID and job
 * rules), the kube-system namespace (for {@code k8s.cluster.uid}), and namespaces, nodes,
 * Deployments, StatefulSets and DaemonSets for their labels and annotations. Telemetry never
 * waits on the API server: lookups read what the informers last reported.
 */
public final class KubernetesWatch implements AutoCloseable, ClusterObjects {

  private static final String KUBE_SYSTEM = "kube-system";

  /** The Collector's pod informer resync period. */
  private static final long POD_RESYNC_MILLIS = Duration.ofMinutes(5).toMillis();

  private final KubernetesClient client;
  private final ExtractionRules rules;
  private final PodFilter filter;
  private final PodTable pods;
  private final Map<String, List<KeyValue>> namespaces = new ConcurrentHashMap<>();
  private final Map<String, List<KeyValue>> nodes = new ConcurrentHashMap<>();
  /** Workload attributes by kind, then UID. */
  private final Map<String, Map<String, List<KeyValue>>> workloads = new ConcurrentHashMap<>();
  private final long graceNanos;
  private final LongSupplier clock;
  private final Logger log;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final CompletableFuture<Void> podsSynced = new CompletableFuture<>();
  private final ScheduledExecutorService sweeper;
  private volatile SharedIndexInformer<ReplicaSet> replicaSets;
  private volatile SharedIndexInformer<Job> jobs;
  private volatile String clusterUid;
  private volatile boolean closed;

  public KubernetesWatch(KubernetesClient client, ExtractionRules rules, PodFilter filter,
      PodTable pods, Duration deleteGrace, LongSupplier nanoClock, Logger log) {
    this.client = client;
    this.rules = rules;
    this.filter = filter;
    this.pods = pods;
    this.graceNanos = deleteGrace.toNanos();
    this.clock = nanoClock;
    this.log = log;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "k8sattributes-delete-grace");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts the informers: the ReplicaSet, namespace and node ones first and the pod one once they
   * have listed, so a pod's deployment is known when the pod is first seen (as the Collector
   * orders them). Returns at once; {@link #synced} completes when the pods have been listed.
   */
  public synchronized void start() {
    List<CompletableFuture<Void>> first = new ArrayList<>();
    if (rules.needsReplicaSets()) {
      var q = filter.namespace().isEmpty() ? client.apps().replicaSets().inAnyNamespace()
          : client.apps().replicaSets().inNamespace(filter.namespace());
      SharedIndexInformer<ReplicaSet> rs = q.runnableInformer(0);
      replicaSets = rs;
      first.add(run(rs, "replicasets"));
    }
    if (rules.needsNamespaces()) {
      List<FieldRule> nsRules = rules.rulesFrom("namespace");
      var q = filter.namespace().isEmpty() ? client.namespaces()
          : client.namespaces().withField("metadata.name", filter.namespace());
      SharedIndexInformer<Namespace> ns = q.runnableInformer(0);
      ns.addEventHandler(new Mirror<>(namespaces, n -> n.getMetadata().getName(),
          n -> attributes(n, nsRules, null)));
      ns.addEventHandler(new ClusterUid());
      first.add(run(ns, "namespaces"));
    }
    if (rules.needsClusterUid() && !(rules.needsNamespaces()
        && (filter.namespace().isEmpty() || filter.namespace().equals(KUBE_SYSTEM)))) {
      // Only kube-system, whose UID the Collector takes for the cluster's.
      SharedIndexInformer<Namespace> ks = client.namespaces()
          .withField("metadata.name", KUBE_SYSTEM).runnableInformer(0);
      ks.addEventHandler(new ClusterUid());
      first.add(run(ks, "namespaces"));
    }
    if (rules.needsNodes()) {
      List<FieldRule> nodeRules = rules.rulesFrom("node");
      var q = filter.node().isEmpty() ? client.nodes()
          : client.nodes().withField("metadata.name", filter.node());
      SharedIndexInformer<Node> n = q.runnableInformer(0);
      n.addEventHandler(new Mirror<>(nodes, node -> node.getMetadata().getName(),
          node -> attributes(node, nodeRules,
              rules.wants("k8s.node.uid") ? "k8s.node.uid" : null)));
      first.add(run(n, "nodes"));
    }
    if (rules.hasRulesFrom("deployment")) {
      var api = client.apps().deployments();
      first.add(workload("deployment",
          filter.namespace().isEmpty() ? api.inAnyNamespace().runnableInformer(0)
              : api.inNamespace(filter.namespace()).runnableInformer(0), "deployments"));
    }
    if (rules.hasRulesFrom("statefulset")) {
      var api = client.apps().statefulSets();
      first.add(workload("statefulset",
          filter.namespace().isEmpty() ? api.inAnyNamespace().runnableInformer(0)
              : api.inNamespace(filter.namespace()).runnableInformer(0), "statefulsets"));
    }
    if (rules.hasRulesFrom("daemonset")) {
      var api = client.apps().daemonSets();
      first.add(workload("daemonset",
          filter.namespace().isEmpty() ? api.inAnyNamespace().runnableInformer(0)
              : api.inNamespace(filter.namespace()).runnableInformer(0), "daemonsets"));
    }
    if (rules.needsJobs()) {
      var api = client.batch().v1().jobs();
      SharedIndexInformer<Job> j = filter.namespace().isEmpty()
          ? api.inAnyNamespace().runnableInformer(0)
          : api.inNamespace(filter.namespace()).runnableInformer(0);
      jobs = j;
      first.add(workload("job", j, "jobs"));
    }
    PodExtractor extractor = new PodExtractor(rules, new OwnerLookup() {
      @Override
      public ReplicaSet replicaSet(String namespace, String name) {
        return KubernetesWatch.this.replicaSet(namespace, name);
      }

      @Override
      public Job job(String namespace, String name) {
        SharedIndexInformer<Job> j = jobs;
        return j == null ? null : j.getStore().getByKey(namespace + "/" + name);
      }

      @Override
      public String clusterUid() {
        return clusterUid;
      }
    });
    SharedIndexInformer<Pod> podInformer = filter.select(client).runnableInformer(
        POD_RESYNC_MILLIS);
    podInformer.addEventHandler(new PodEvents(extractor));
    CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).whenComplete((ok, err) -> {
      synchronized (this) {
        if (!closed) {
          run(podInformer, "pods").whenComplete((v, e) -> {
            if (e == null) {
              podsSynced.complete(null);
            } else {
              podsSynced.completeExceptionally(e);
            }
          });
        }
      }
    });
    long every = Math.max(1, Math.min(graceNanos, TimeUnit.SECONDS.toNanos(30)));
    sweeper.scheduleWithFixedDelay(() -> pods.sweep(clock.getAsLong(), graceNanos), every, every,
        TimeUnit.NANOSECONDS);
  }

  /** Waits until the pods have been listed, as {@code wait_for_metadata} asks. */
  public void awaitSynced(Duration timeout) throws TimeoutException, InterruptedException {
    try {
      podsSynced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the pod informer failed: " + e.getCause(), e.getCause());
    }
  }

  public CompletableFuture<Void> synced() {
    return podsSynced;
  }

  /** Namespace-level attributes (labels, annotations) by namespace name. */
  @Override
  public List<KeyValue> namespace(String name) {
    return namespaces.get(name);
  }

  /** Node-level attributes by node name. */
  @Override
  public List<KeyValue> node(String name) {
    return nodes.get(name);
  }

  @Override
  public List<KeyValue> workload(String kind, String uid) {
    Map<String, List<KeyValue>> m = workloads.get(kind);
    return m == null ? null : m.get(uid);
  }

  /** Mirrors one workload kind's label and annotation attributes by UID. */
  private <T extends HasMetadata> CompletableFuture<Void> workload(String kind,
      SharedIndexInformer<T> informer, String resource) {
    List<FieldRule> kindRules = rules.rulesFrom(kind);
    Map<String, List<KeyValue>> byUid = workloads.computeIfAbsent(kind,
        k -> new ConcurrentHashMap<>());
    if (!kindRules.isEmpty()) {
      informer.addEventHandler(new Mirror<>(byUid, o -> o.getMetadata().getUid(),
          o -> attributes(o, kindRules, null)));
    }
    return run(informer, resource);
  }

  private ReplicaSet replicaSet(String namespace, String name) {
    SharedIndexInformer<ReplicaSet> rs = replicaSets;
    return rs == null ? null : rs.getStore().getByKey(namespace + "/" + name);
  }

  private CompletableFuture<Void> run(SharedIndexInformer<?> informer, String what) {
    // Keep listing and watching through API errors (the API server restarting, RBAC granted
    // late) as client-go's informers do, rather than giving up at the first failure.
    informer.exceptionHandler((started, t) -> {
      if (!closed) {
        log.warn("Listing or watching {} failed, retrying: {}. Check the API server is reachable"
            + " and the service account may get, list and watch {} (see the README's RBAC).",
            what, t.toString(), what);
      }
      return !closed;
    });
    informers.add(informer);
    return informer.start().toCompletableFuture();
  }

  private static List<KeyValue> attributes(HasMetadata o, List<FieldRule> fieldRules,
      String uidKey) {
    var meta = o.getMetadata();
    List<KeyValue> out = new ArrayList<>();
    if (uidKey != null && meta.getUid() != null) {
      out.add(Attrs.kv(uidKey, meta.getUid()));
    }
    for (FieldRule r : fieldRules) {
      r.extract(r.isAnnotation() ? meta.getAnnotations() : meta.getLabels(), out);
    }
    return List.copyOf(out);
  }

  /** Stops the informers and closes the client, which this watch owns. */
  @Override
  public synchronized void close() {
    closed = true;
    sweeper.shutdownNow();
    for (SharedIndexInformer<?> i : informers) {
      i.stop();
    }
    podsSynced.cancel(false);
    client.close();
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    private final PodExtractor extractor;

    PodEvents(PodExtractor extractor) {
      this.extractor = extractor;
    }

    @Override
    public void onAdd(Pod pod) {
      if (filter.accepts(pod)) {
        pods.put(extractor.extract(pod));
      } else if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
        // An update that takes a held pod out of the filter (a label changed, the ignore
        // annotation added): forget it as if deleted.
        pods.markDeleted(pod.getMetadata().getUid(), clock.getAsLong());
      }
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      onAdd(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean finalStateUnknown) {
      if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
        pods.markDeleted(pod.getMetadata().getUid(), clock.getAsLong());
      }
    }
  }

  /** Keeps a key (name or UID) → attributes map in step with an informer. */
  private static final class Mirror<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final Map<String, List<KeyValue>> map;
    private final Function<T, String> key;
    private final Function<T, List<KeyValue>> attrs;

    Mirror(Map<String, List<KeyValue>> map, Function<T, String> key,
        Function<T, List<KeyValue>> a) {
      this.map = map;
      this.key = key;
      this.attrs = a;
    }

    private String keyOf(T o) {
      return o == null || o.getMetadata() == null ? null : key.apply(o);
    }

    @Override
    public void onAdd(T o) {
      String k = keyOf(o);
      if (k != null) {
        map.put(k, attrs.apply(o));
      }
    }

    @Override
    public void onUpdate(T old, T o) {
      onAdd(o);
    }

    @Override
    public void onDelete(T o, boolean finalStateUnknown) {
      String k = keyOf(o);
      if (k != null) {
        map.remove(k);
      }
    }
  }

  /** Keeps the kube-system namespace's UID, the cluster's. */
  private final class ClusterUid implements ResourceEventHandler<Namespace> {
    @Override
    public void onAdd(Namespace n) {
      if (n.getMetadata() != null && KUBE_SYSTEM.equals(n.getMetadata().getName())) {
        clusterUid = n.getMetadata().getUid();
      }
    }

    @Override
    public void onUpdate(Namespace old, Namespace n) {
      onAdd(n);
    }

    @Override
    public void onDelete(Namespace n, boolean finalStateUnknown) {
      if (n.getMetadata() != null && KUBE_SYSTEM.equals(n.getMetadata().getName())) {
        clusterUid = null;
      }
    }
  }
}
