package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.ExtensionFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backstops: a component whose validation (in the loader) or creation (in the pipeline
 * graph) throws something other than a config error (the null-key bug class of #25) is
 * reported under that component's key path, with the rest of the file's problems, instead of
 * escaping as a NullPointerException.
 */
class ValidationGuardTest {

  /** A config whose {@code label} defaults to null, as a plain String field may. */
  public static class NullableConfig {
    public String label;
  }

  /** Reads its config without a null check: the bug the guard catches. */
  private static final class CarelessFactory implements ExtensionFactory<NullableConfig> {
    @Override
    public String type() {
      return "careless";
    }

    @Override
    public NullableConfig createDefaultConfig() {
      return new NullableConfig();
    }

    @Override
    public void validate(NullableConfig config) {
      if (config.label.isBlank()) {
        throw new ConfigException("label", "must not be blank");
      }
    }

    @Override
    public Extension create(ComponentSettings settings, NullableConfig config) {
      if (config.label.isBlank()) {
        throw new IllegalStateException("validated before");
      }
      return new Extension() {};
    }
  }

  private final ConfigLoader loader = new ConfigLoader(
      ComponentRegistry.builder()
          .add(ComponentKind.EXTENSION, new CarelessFactory())
          .add(ComponentKind.RECEIVER, new StandInReceiverFactory())
          .add(ComponentKind.EXPORTER, new CaptureExporterFactory())
          .build(),
      new EnvSubstitution(Map.<String, String>of()::get));

  /** A config with the careless extension configured by {@code block}, in a pipeline's service. */
  private static String withCareless(String block) {
    return """
        extensions:
          careless: %s
        receivers: {stand_in: }
        exporters: {capture: }
        service:
          extensions: [careless]
          pipelines:
            logs: {receivers: [stand_in], exporters: [capture]}
        """.formatted(block);
  }

  @Test
  void aValidatorThrowingAnUncheckedExceptionIsAConfigErrorNamingTheComponent() {
    ConfigException e = catchThrowableOfType(() -> loader.load("""
        extensions:
          careless:
            label:
        receivers: {stand_in: }
        exporters: {capture: }
        service:
          extensions: [careless, missing]
          pipelines:
            logs: {receivers: [stand_in], exporters: [capture]}
        """), ConfigException.class);

    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(2);
    ConfigException guarded = e.problems().get(0);
    assertThat(guarded.keyPath()).isEqualTo("extensions::careless");
    assertThat(guarded.problem())
        .startsWith(ConfigLoader.UNEXPECTED_VALIDATION_FAILURE)
        .contains("NullPointerException");
    assertThat(guarded.getCause()).isInstanceOf(NullPointerException.class);
    assertThat(e.problems().get(1).keyPath())
        .as("checking went on past the guarded component")
        .isEqualTo("service::extensions");
  }

  @Test
  void aValueTheValidatorHandlesIsNotTouchedByTheGuard() {
    ConfigException e = catchThrowableOfType(
        () -> loader.load(withCareless("{label: \" \"}")), ConfigException.class);

    assertThat(e.keyPath()).isEqualTo("extensions::careless::label");
    assertThat(e.problem()).isEqualTo("must not be blank");
  }

  @Test
  void aFactoryThrowingAnUncheckedExceptionFromCreateIsAConfigErrorNamingTheComponent() {
    GatewayConfig config = loader.load(withCareless("{label: x}"));
    ((NullableConfig) config.component(ComponentKind.EXTENSION, ComponentId.parse("careless"))
        .config()).label = null;

    assertThatThrownBy(() -> PipelineGraph.build(config, new GatewayTelemetry()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.keyPath()).isEqualTo("extensions::careless");
          assertThat(e.problem()).startsWith("cannot create: NullPointerException");
          assertThat(e.getCause()).isInstanceOf(NullPointerException.class);
        });
  }
}
