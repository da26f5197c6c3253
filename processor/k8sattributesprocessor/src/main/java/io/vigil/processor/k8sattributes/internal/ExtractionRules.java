package io.vigil.processor.k8sattributes.internal;

import io.vigil.processor.k8sattributes.K8sAttributesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code extract}, compiled: which attributes are wanted and so which objects must be watched. */
public final class ExtractionRules {
  final Set<String> metadata;
  final List<FieldRule> rules;
  final boolean deploymentNameFromReplicaset;

  public ExtractionRules(K8sAttributesConfig.Extract c) {
    this.metadata = Set.copyOf(c.metadata);
    List<FieldRule> r = new ArrayList<>();
    c.labels.forEach(l -> r.add(FieldRule.label(l)));
    c.annotations.forEach(a -> r.add(FieldRule.annotation(a)));
    if (c.otelAnnotations) {
      r.add(FieldRule.otelAnnotations());
    }
    this.rules = List.copyOf(r);
    this.deploymentNameFromReplicaset = c.deploymentNameFromReplicaset;
  }

  boolean wants(String attribute) {
    return metadata.contains(attribute);
  }

  List<FieldRule> rulesFrom(String from) {
    return rules.stream().filter(r -> r.from.equals(from)).toList();
  }

  /** Whether a deployment's name and UID come from the ReplicaSet objects (so watch them). */
  public boolean needsReplicaSets() {
    return !deploymentNameFromReplicaset
        && (wants("k8s.deployment.name") || wants("k8s.deployment.uid")
            || wants("service.name"));
  }

  public boolean needsNamespaces() {
    return rules.stream().anyMatch(r -> r.from.equals("namespace"));
  }

  public boolean needsNodes() {
    return wants("k8s.node.uid") || rules.stream().anyMatch(r -> r.from.equals("node"));
  }
}
