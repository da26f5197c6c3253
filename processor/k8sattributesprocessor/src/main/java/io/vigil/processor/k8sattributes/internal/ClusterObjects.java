package io.vigil.processor.k8sattributes.internal;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * The attributes the objects around a pod add to its resources (their labels and annotations as
 * the extract rules take them, a node's UID), as the informers last reported them; null when an
 * object is not known or its kind is not watched.
 */
public interface ClusterObjects {

  /** The workload kinds whose labels and annotations rules may name, by their rule name. */
  List<String> WORKLOADS = List.of("deployment", "statefulset", "daemonset", "job");

  /** None known: passthrough, or before the informers start. */
  ClusterObjects NONE = new ClusterObjects() {};

  /** A namespace's attributes, by its name. */
  default List<KeyValue> namespace(String name) {
    return null;
  }

  /** A node's attributes, by its name. */
  default List<KeyValue> node(String name) {
    return null;
  }

  /** A Deployment's, StatefulSet's, DaemonSet's or Job's attributes, by kind and UID. */
  default List<KeyValue> workload(String kind, String uid) {
    return null;
  }
}
