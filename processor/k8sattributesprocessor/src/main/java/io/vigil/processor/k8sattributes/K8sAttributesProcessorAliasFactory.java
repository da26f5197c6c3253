package io.vigil.processor.k8sattributes;

/**
 * Type {@code k8s_attributes}: the name the Collector's current documentation uses for the
 * {@code k8sattributes} processor, so configs written either way load.
 */
public final class K8sAttributesProcessorAliasFactory extends K8sAttributesProcessorFactory {
  @Override
  public String type() {
    return "k8s_attributes";
  }
}
