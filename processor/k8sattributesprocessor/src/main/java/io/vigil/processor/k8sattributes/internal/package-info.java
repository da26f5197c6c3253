/**
 * The machinery of the {@code k8sattributes} processor: the informers that mirror pods,
 * namespaces, replicasets and nodes, the in-memory table that finds a pod by its association key,
 * and the rewrite that adds the pod's attributes to a resource.
 */
package io.vigil.processor.k8sattributes.internal;
