package io.vigil.processor.k8sattributes;

import io.vigil.processor.k8sattributes.internal.KubernetesWatch;
import io.vigil.processor.k8sattributes.internal.PodTable;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The pod table and informers one configured processor shares between its instances: the same
 * processor ID in a traces, a metrics and a logs pipeline gets three instances (a processor
 * belongs to one pipeline), which here list and watch the cluster once, not three times. The
 * first instance to start starts the informers, the last to shut down stops them.
 */
final class ClusterMirror {
  /** By the loaded config object, which the instances of one processor ID share. */
  private static final Map<K8sAttributesConfig, ClusterMirror> SHARED = new IdentityHashMap<>();

  private final K8sAttributesConfig config;
  final PodTable pods;
  private final Function<PodTable, KubernetesWatch> watchFactory;
  private volatile KubernetesWatch watch;
  private int started;

  private ClusterMirror(K8sAttributesConfig config, PodTable pods,
      Function<PodTable, KubernetesWatch> watchFactory) {
    this.config = config;
    this.pods = pods;
    this.watchFactory = watchFactory;
  }

  /** The mirror of {@code config}, made by {@code create} for its first instance. */
  static ClusterMirror of(K8sAttributesConfig config, Supplier<ClusterMirror> create) {
    synchronized (SHARED) {
      return SHARED.computeIfAbsent(config, c -> create.get());
    }
  }

  static ClusterMirror create(K8sAttributesConfig config, PodTable pods,
      Function<PodTable, KubernetesWatch> watchFactory) {
    return new ClusterMirror(config, pods, watchFactory);
  }

  /** The informers' view, null until the first instance started (or in passthrough). */
  KubernetesWatch watch() {
    return watch;
  }

  /** Starts the informers for the first instance; returns them. */
  KubernetesWatch acquire() {
    synchronized (SHARED) {
      if (started == 0) {
        KubernetesWatch w = watchFactory.apply(pods); // throws for an unusable auth_type
        w.start();
        watch = w;
        SHARED.putIfAbsent(config, this);
      }
      started++;
      return watch;
    }
  }

  /** Stops the informers when the last started instance shuts down. */
  void release() {
    synchronized (SHARED) {
      if (started > 0 && --started == 0) {
        KubernetesWatch w = watch;
        watch = null;
        SHARED.remove(config, this);
        if (w != null) {
          w.close();
        }
      }
    }
  }
}
