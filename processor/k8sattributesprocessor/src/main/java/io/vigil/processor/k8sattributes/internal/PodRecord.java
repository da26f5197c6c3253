package io.vigil.processor.k8sattributes.internal;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.Map;

/**
 * What the processor keeps of one pod: its identity, the resource attributes it adds (worked out
 * once, when the informer reports the pod, so the lookup path only copies them) and its
 * containers for the container attributes.
 *
 * @param ip the pod IP, null for host-network pods (their IP is the node's, shared by many)
 * @param attributes the pod-level attributes to add, in extract order
 * @param ownerUids the UIDs of the workloads owning the pod, by kind ({@code deployment},
 *     {@code statefulset}, {@code daemonset}, {@code job}), to find their labels and annotations
 * @param containersById containers by their runtime ID without the {@code containerd://} scheme
 * @param containersByName containers by {@code k8s.container.name}
 */
public record PodRecord(String uid, String name, String namespace, String ip, String nodeName,
    List<KeyValue> attributes, Map<String, String> ownerUids,
    Map<String, Container> containersById, Map<String, Container> containersByName) {

  /**
   * One container of the pod.
   *
   * @param attributes what it adds when a resource names it
   * @param restartCount the restart count of the instance running now
   * @param runAttributes what only that instance has ({@code container.id}, the image's repo
   *     digest): added unless the resource's {@code k8s.container.restart_count} names another
   */
  public record Container(String name, String id, List<KeyValue> attributes, int restartCount,
      List<KeyValue> runAttributes) {}

  /** The value this record gives {@code attribute} (for association rules on other names). */
  String attribute(String attribute) {
    return Attrs.get(attributes, attribute);
  }
}
