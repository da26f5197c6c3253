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
 * the pod's, its container's, its namespace's, its node's and its workloads' attributes. An
 * attribute the resource already has with a non-empty value is kept: the sender knows better.
 */
public final class ResourceEnricher {
  private final Association association;
  private final boolean passthrough;
  private final PodTable pods;
  private final ClusterObjects objects;
  /** The workload kinds some rule takes labels or annotations from: only those are looked up. */
  private final List<String> workloadKinds;
  private final List<String> workloadUidKeys;

  public ResourceEnricher(Association association, boolean passthrough, PodTable pods,
      ClusterObjects objects, List<String> workloadKinds) {
    this.association = association;
    this.passthrough = passthrough;
    this.pods = pods;
    this.objects = objects;
    this.workloadKinds = List.copyOf(workloadKinds);
    this.workloadUidKeys = workloadKinds.stream().map(k -> "k8s." + k + ".uid").toList();
  }

  /** With namespaces and nodes only (no workload rules). */
  public ResourceEnricher(Association association, boolean passthrough, PodTable pods,
      Function<String, List<KeyValue>> namespaces, Function<String, List<KeyValue>> nodes) {
    this(association, passthrough, pods, new ClusterObjects() {
      @Override
      public List<KeyValue> namespace(String name) {
        return namespaces.apply(name);
      }

      @Override
      public List<KeyValue> node(String name) {
        return nodes.apply(name);
      }
    }, List.of());
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
        if (!c.runAttributes().isEmpty() && sameRun(c, b.current())) {
          b.setAllIfAbsent(c.runAttributes());
        }
      }
    }
    // The pod's own namespace, node and workloads, else those the resource names (as the
    // Collector: a resource from an agent may carry them without its pod being found).
    String ns = pod != null && !pod.namespace().isEmpty() ? pod.namespace()
        : Attrs.get(b.current(), "k8s.namespace.name");
    if (ns != null && !ns.isEmpty()) {
      b.setAllIfAbsent(objects.namespace(ns));
    }
    String node = pod != null && !pod.nodeName().isEmpty() ? pod.nodeName()
        : Attrs.get(b.current(), "k8s.node.name");
    if (node != null && !node.isEmpty()) {
      b.setAllIfAbsent(objects.node(node));
    }
    for (int i = 0; i < workloadKinds.size(); i++) {
      String kind = workloadKinds.get(i);
      String uid = pod == null ? null : pod.ownerUids().get(kind);
      if (uid == null) {
        uid = Attrs.get(b.current(), workloadUidKeys.get(i));
      }
      if (uid != null && !uid.isEmpty()) {
        b.setAllIfAbsent(objects.workload(kind, uid));
      }
    }
    return b.result();
  }

  /**
   * The container the resource names: by name first, then by ID, as the Collector picks it; a
   * resource naming neither gets the pod's only container, if it has just one.
   */
  private static PodRecord.Container container(PodRecord pod, List<KeyValue> attrs) {
    String name = Attrs.get(attrs, "k8s.container.name");
    if (name != null && !name.isEmpty()) {
      return pod.containersByName().get(name);
    }
    String id = Attrs.get(attrs, "container.id");
    if (id != null && !id.isEmpty()) {
      return pod.containersById().get(PodExtractor.stripScheme(id));
    }
    if (pod.containersById().size() == 1) {
      return pod.containersById().values().iterator().next();
    }
    if (pod.containersByName().size() == 1) {
      return pod.containersByName().values().iterator().next();
    }
    return null;
  }

  /**
   * Whether the container's running instance is the one the resource came from: the Collector
   * keeps the container ID by restart count, so a resource naming an earlier run (its
   * {@code k8s.container.restart_count}) or an unreadable one gets no container ID.
   */
  private static boolean sameRun(PodRecord.Container c, List<KeyValue> attrs) {
    for (int i = 0; i < attrs.size(); i++) {
      KeyValue kv = attrs.get(i);
      if (kv.getKey().equals("k8s.container.restart_count")) {
        AnyValue v = kv.getValue();
        if (v.getValueCase() == AnyValue.ValueCase.INT_VALUE) {
          return v.getIntValue() == c.restartCount();
        }
        if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
          try {
            return Integer.parseInt(v.getStringValue()) == c.restartCount();
          } catch (NumberFormatException e) {
            return false;
          }
        }
        return false;
      }
    }
    return true;
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
