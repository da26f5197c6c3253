package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extensions as the Collector runs them: listed ones only, first up, last down, found by ID. */
class ExtensionLifecycleTest {

  private final TestComponents components = new TestComponents();
  private final ConfigLoader loader =
      new ConfigLoader(components.registry(), new EnvSubstitution(Map.<String, String>of()::get));

  private static String config(String extensions, String serviceExtensions, String exporter) {
    return String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp: " + exporter + "}",
        "extensions: " + extensions,
        "service:",
        "  extensions: " + serviceExtensions,
        "  pipelines: {traces: {receivers: [testrcv], exporters: [testexp]}}");
  }

  @Test
  void listedExtensionsStartFirstAndStopLastInListOrder() {
    PipelineGraph g = PipelineGraph.build(
        loader.load(config("{testext: , testext/2: }", "[testext/2, testext]", "")),
        new GatewayTelemetry());
    g.start();
    g.shutdown(Duration.ofSeconds(1));

    assertThat(components.events).containsExactly(
        "create extension testext/2",
        "create extension testext",
        "start extension testext/2",
        "start extension testext",
        "start exporter testexp",
        "start receiver testrcv",
        "stop receiver testrcv",
        "stop exporter testexp",
        "stop extension testext/2",
        "stop extension testext");
  }

  @Test
  void configuredButUnlistedExtensionIsNeitherBuiltNorStarted() {
    PipelineGraph g = PipelineGraph.build(
        loader.load(config("{testext: , testext/unused: }", "[testext]", "")),
        new GatewayTelemetry());
    g.start();

    assertThat(components.extensions).containsOnlyKeys(ComponentId.parse("testext"));
    assertThat(g.host().extensions()).containsOnlyKeys(ComponentId.parse("testext"));
    assertThat(components.events).noneMatch(e -> e.contains("testext/unused"));
    g.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void unlistedExtensionIsStillValidated() {
    assertThatThrownBy(() -> loader.load(config("{testext/unused: {lable: x}}", "[]", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("extensions::testext/unused::lable: unknown key");
  }

  @Test
  void listedButNotConfiguredExtensionNamesServiceExtensions() {
    assertThatThrownBy(() -> loader.load(config("{testext: }", "[testext, testext/missing]", "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "service::extensions: references extension \"testext/missing\" which is not"
                + " configured under extensions");
  }

  @Test
  void componentFindsExtensionByIdAtStart() {
    PipelineGraph g = PipelineGraph.build(
        loader.load(config(
            "{testext: {label: one}, testext/2: {label: two}}", "[testext, testext/2]",
            "{storage: testext/2}")),
        new GatewayTelemetry());
    g.start();

    assertThat(components.events)
        .containsSubsequence(
            "start extension testext/2", "exporter testexp uses extension testext/2 (two)");
    g.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void componentNamingAnExtensionThatDoesNotRunFailsStartWithKeyPath() {
    PipelineGraph g = PipelineGraph.build(
        loader.load(config("{testext: , testext/2: }", "[testext]", "{storage: testext/2}")),
        new GatewayTelemetry());

    assertThatThrownBy(g::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "exporters::testexp::storage: extension \"testext/2\" is not running");
    assertThat(components.events)
        .as("what started before the failure is stopped again")
        .endsWith("stop extension testext");
  }
}
