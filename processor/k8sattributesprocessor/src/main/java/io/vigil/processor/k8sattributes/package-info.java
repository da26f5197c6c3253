/**
 * The {@code k8sattributes} processor: the Collector's Kubernetes attributes processor, adding
 * the pod, namespace, workload, node and container of the sender to each resource, found by the
 * connection's IP or a resource attribute in an in-memory mirror the fabric8 informers keep.
 */
package io.vigil.processor.k8sattributes;
