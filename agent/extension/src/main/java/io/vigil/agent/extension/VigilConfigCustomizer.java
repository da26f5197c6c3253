package io.vigil.agent.extension;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Hands {@link VigilDefaults} to the agent's autoconfiguration as lowest-priority properties, and
 * names Vigil's distribution on the resource ({@link VigilDistro}).
 */
public final class VigilConfigCustomizer implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addPropertiesSupplier(() -> VigilDefaults.compute(System.getenv()));
    customizer.addResourceCustomizer((resource, config) -> VigilDistro.apply(resource));
  }
}
