package io.vigil.processor.k8sattributes.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.ClientInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Adds a pod's attributes to one resource, as the Collector's processResource does: find the
 * pod by the association key; set {@code k8s.pod.ip} when the key came from the connection; add
 * the pod's, its container's, its namespace's and its node's attributes. An attribute the
 * resource already has with a non-empty value is kept: the sender knows better.
 */
public final class ResourceEnricher {
  private final Association association;
  private final boolean passthrough;
  private final PodTable pods;
  private final Function<String, List<KeyValue>> namespaces;
  private final Function<String, List<KeyValue>> nodes;

  public ResourceEnricher(Association association, boolean passthrough, PodTable pods,
      Function<String, List<KeyValue>> namespaces, Function<String, List<KeyValue>> nodes) {
    this.association = association;
    this.passthrough = passthrough;
    this.pods = pods;
    this.namespaces = namespaces;
    this.nodes = nodes;
  }

  /** The resource's attributes with the pod's added; {@code in} itself when nothing changed. */
  public List<KeyValue> enrich(List<KeyValue> in, ClientInfo client) {
    Association.Identity id = association.identify(in, client);
    Builder b = new Builder(in);
    if (id != null && id.connectionIp() != null) {
      b.setIfAbsent(Attrs.kv("k8s.pod.ip", id.connectionIp()));
    }
    if (passthrough) {
      return b.result();
    }
    PodRecord pod = id == null ? null : pods.get(id.key());
    if (pod != null) {
      b.setAllIfAbsent(pod.attributes());
      PodRecord.Container c = container(pod, b.current());
      if (c != null) {
        b.setAllIfAbsent(c.attributes());
      }
    }
    String ns = Attrs.get(b.current(), "k8s.namespace.name");
    if (ns != null && !ns.isEmpty()) {
      b.setAllIfAbsent(namespaces.apply(ns));
    }
    String node = Attrs.get(b.current(), "k8s.node.name");
    if (node != null && !node.isEmpty()) {
      b.setAllIfAbsent(nodes.apply(node));
    }
    return b.result();
  }

  private static PodRecord.Container container(PodRecord pod, List<KeyValue> attrs) {
    String id = Attrs.get(attrs, "container.id");
    if (id != null && !id.isEmpty()) {
      return pod.containersById().get(PodExtractor.stripScheme(id));
    }
    String name = Attrs.get(attrs, "k8s.container.name");
    return name == null ? null : pod.containersByName().get(name);
  }

  /** The resource's attribute list, copied on the first change. */
  private static final class Builder {
    private final List<KeyValue> in;
    private List<KeyValue> out;

    Builder(List<KeyValue> in) {
      this.in = in;
    }

    List<KeyValue> current() {
      return out == null ? in : out;
    }

    void setAllIfAbsent(List<KeyValue> add) {
      if (add != null) {
        for (int i = 0; i < add.size(); i++) {
          setIfAbsent(add.get(i));
        }
      }
    }

    void setIfAbsent(KeyValue kv) {
      List<KeyValue> cur = current();
      for (int i = 0; i < cur.size(); i++) {
        KeyValue have = cur.get(i);
        if (have.getKey().equals(kv.getKey())) {
          if (isEmpty(have.getValue())) {
            copy().set(i, kv);
          }
          return;
        }
      }
      copy().add(kv);
    }

    private List<KeyValue> copy() {
      if (out == null) {
        out = new ArrayList<>(in.size() + 8);
        out.addAll(in);
      }
      return out;
    }

    List<KeyValue> result() {
      return current();
    }

    private static boolean isEmpty(AnyValue v) {
      String s = Attrs.asString(v);
      return v.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET || (s != null && s.isEmpty());
    }
  }
}
