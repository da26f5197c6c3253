package io.vigil.processor.k8sattributes.internal;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What working out a pod's attributes reads from the other informers: each answer is null when
 * the object is not (yet) known or its kind is not watched.
 */
@FunctionalInterface
public interface OwnerLookup {

  /** The ReplicaSet owning a pod, for its Deployment. */
  ReplicaSet replicaSet(String namespace, String name);

  /** The Job owning a pod, for its CronJob. */
  default Job job(String namespace, String name) {
    return null;
  }

  /** The UID of the kube-system namespace, the Collector's {@code k8s.cluster.uid}. */
  default String clusterUid() {
    return null;
  }
}
