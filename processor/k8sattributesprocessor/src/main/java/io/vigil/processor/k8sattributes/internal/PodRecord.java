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
 * @param containersById containers by their runtime ID without the {@code containerd://} scheme
 * @param containersByName containers by {@code k8s.container.name}
 */
public record PodRecord(String uid, String name, String namespace, String ip, String nodeName,
    List<KeyValue> attributes, Map<String, Container> containersById,
    Map<String, Container> containersByName) {

  /** One container of the pod: the attributes it adds when a resource names it. */
  public record Container(String name, String id, List<KeyValue> attributes) {}

  /** The value this record gives {@code attribute} (for association rules on other names). */
  String attribute(String attribute) {
    return Attrs.get(attributes, attribute);
  }
}
