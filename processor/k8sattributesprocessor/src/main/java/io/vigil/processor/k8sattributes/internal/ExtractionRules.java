package io.vigil.processor.k8sattributes.internal;

import io.vigil.processor.k8sattributes.K8sAttributesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code extract}, compiled: which attributes are wanted and so which objects must be watched.
 * As in the Collector, an object kind is watched only when some wanted attribute needs it.
 */
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

  /** Whether any label or annotation rule reads objects of {@code from}. */
  public boolean hasRulesFrom(String from) {
    return rules.stream().anyMatch(r -> r.from.equals(from));
  }

  /**
   * Whether ReplicaSets are watched: for the deployment's name (unless it is taken from the
   * ReplicaSet's name) and, always, for its UID, which only the ReplicaSet's owner tells; the
   * UID is also what finds the Deployment for {@code from: deployment} rules.
   */
  public boolean needsReplicaSets() {
    return wants("k8s.deployment.uid") || hasRulesFrom("deployment")
        || (!deploymentNameFromReplicaset
            && (wants("k8s.deployment.name") || wants("service.name")));
  }

  /** The workload kinds (deployment, statefulset, daemonset, job) some rule reads. */
  public List<String> workloadKinds() {
    return ClusterObjects.WORKLOADS.stream().filter(this::hasRulesFrom).toList();
  }

  public boolean needsNamespaces() {
    return hasRulesFrom("namespace");
  }

  /** {@code k8s.cluster.uid} is the UID of the kube-system namespace, as the Collector sets it. */
  public boolean needsClusterUid() {
    return wants("k8s.cluster.uid");
  }

  public boolean needsNodes() {
    return wants("k8s.node.uid") || hasRulesFrom("node");
  }

  /** Jobs are watched for their labels and annotations, and for the CronJob's UID. */
  public boolean needsJobs() {
    return wants("k8s.cronjob.uid") || hasRulesFrom("job");
  }

  boolean needsContainers() {
    return wants("k8s.container.name") || wants("container.id")
        || wants("container.image.name") || wants("container.image.tag")
        || wants("container.image.repo_digests") || wants("service.instance.id")
        || wants("service.version");
  }
}
