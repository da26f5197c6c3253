package io.vigil.exporter.incidents.response.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/** A deployment or stateful set by namespace and name, rendered and checked. */
record Workload(String kind, String namespace, String name) {

  Resource<? extends HasMetadata> resource(KubernetesClient client) {
    return kind.equals("statefulset")
        ? client.apps().statefulSets().inNamespace(namespace).withName(name)
        : client.apps().deployments().inNamespace(namespace).withName(name);
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
