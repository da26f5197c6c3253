package io.vigil.testing;

import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.EnvSubstitution;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.config.PipelineConfig;
import io.vigil.core.config.PipelineId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  private final TestComponents components = new TestComponents();
  private final Map<String, String> env = Map.of("RCV_PORT", "4317");
  private final ConfigLoader loader =
      new ConfigLoader(components.registry(), new EnvSubstitution(env::get));

  static String resource(String name) {
    try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void loadsCollectorLayoutWithDefaultsEnvAndNestedMerge() {
    GatewayConfig c = loader.load(resource("good.yaml"));

    var rcv = (TestComponents.ReceiverConfig)
        c.component(ComponentKind.RECEIVER, ComponentId.parse("testrcv")).config();
    assertThat(rcv.endpoint).isEqualTo("127.0.0.1:4317");
    var second = (TestComponents.ReceiverConfig)
        c.component(ComponentKind.RECEIVER, ComponentId.of("testrcv", "second")).config();
    assertThat(second.endpoint).isEqualTo("127.0.0.1:0");

    var exp = (TestComponents.ExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.parse("testexp")).config();
    assertThat(exp.timeout).isEqualTo(Duration.ofSeconds(90));
    assertThat(exp.queue.size).isEqualTo(99);
    assertThat(exp.queue.enabled).as("unset nested key keeps its default").isTrue();
    var other = (TestComponents.ExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.parse("testexp/other")).config();
    assertThat(other.tags).containsExactly("a", "b");

    assertThat(c.pipelines().keySet())
        .extracting(PipelineId::toString)
        .containsExactly("traces", "traces/copy", "logs");
    PipelineConfig traces = c.pipelines().get(PipelineId.parse("traces"));
    assertThat(traces.id().signal()).isSameAs(Signal.TRACES);
    assertThat(traces.receivers())
        .containsExactly(ComponentId.parse("testrcv"), ComponentId.parse("testrcv/second"));
    assertThat(c.telemetry().metrics.address).isEqualTo("127.0.0.1:0");
    assertThat(c.telemetry().logs.level).isEqualTo("info");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bad-unknown-type.yaml        | receivers::otlpp                          | unknown receiver type \"otlpp\"; known types: testrcv",
        "bad-unknown-key.yaml         | exporters::testexp::queue::sise           | unknown key \"sise\"",
        "bad-undefined-component.yaml | service::pipelines::traces::exporters     | references exporter \"testexp/missing\" which is not configured",
        "bad-unset-env.yaml           | receivers::testrcv::endpoint              | environment variable VIGIL_TEST_SURELY_UNSET is not set",
        "bad-signal.yaml              | service::pipelines::metrics::receivers    | receiver \"testrcv\" does not support metrics",
        "bad-duration.yaml            | exporters::testexp::timeout               | cannot use \"five seconds\" as a duration such as 5s",
        "bad-validate.yaml            | receivers::testrcv::endpoint              | expected host:port",
        "bad-connector-one-side.yaml  | connectors::forward                       | no pipeline uses it as a receiver",
        "bad-cycle.yaml               | service::pipelines::traces                | cycle through connectors",
      })
  void badConfigNamesTheKeyPath(String file, String keyPath, String message) {
    assertThatThrownBy(() -> loader.load(resource(file)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).keyPath()).isEqualTo(keyPath))
        .hasMessageContaining(keyPath + ": ")
        .hasMessageContaining(message);
  }

  /** The Collector's core #4613: every mistake in one round, not one start-up per mistake. */
  @Test
  void everyProblemIsReportedAtOnceEachWithItsKeyPath() {
    assertThatThrownBy(() -> loader.load(resource("bad-several.yaml")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.problems()).extracting(ConfigException::keyPath).containsExactly(
              "receivers::testrcv/second::endpoint",
              "receivers::testrcv::endpoint",
              "exporters::testexp::timeout",
              "exporters::testexp/other::queue::sise",
              "service::pipelines::traces::processors");
          assertThat(e.keyPath()).isEqualTo("receivers::testrcv/second::endpoint");
          assertThat(e.getMessage().lines()).hasSize(5)
              .anySatisfy(l -> assertThat(l).startsWith(
                  "receivers::testrcv::endpoint: ").contains("expected host:port"))
              .anySatisfy(l -> assertThat(l).startsWith(
                  "service::pipelines::traces::processors: references processor"
                      + " \"batch/missing\""));
        });
  }

  @Test
  void aPipelineNamingAWronglyConfiguredComponentAddsNoSecondError() {
    assertThatThrownBy(() -> loader.load(resource("bad-validate.yaml")))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).singleElement().extracting(ConfigException::keyPath)
                .isEqualTo("receivers::testrcv::endpoint"));
  }

  @Test
  void unknownKeyListsTheValidOnes() {
    assertThatThrownBy(() -> loader.load(resource("bad-unknown-key.yaml")))
        .hasMessageContaining("valid keys here: enabled, size");
  }

  @Test
  void rejectsUnknownTopLevelAndPipelineKeys() {
    assertThatThrownBy(() -> loader.load("recievers: {}\nservice: {}"))
        .hasMessageStartingWith("recievers: unknown top-level key");
    String yaml = String.join("\n",
        "receivers: {testrcv: }",
        "exporters: {testexp: }",
        "service:",
        "  pipelines:",
        "    traces: {receivers: [testrcv], exporters: [testexp], procesors: []}");
    assertThatThrownBy(() -> loader.load(yaml))
        .hasMessageStartingWith("service::pipelines::traces::procesors: unknown key");
  }

  @Test
  void rejectsEmptyAndStructurallyWrongFiles() {
    assertThatThrownBy(() -> loader.load("")).hasMessageContaining("config is empty");
    assertThatThrownBy(() -> loader.load("receivers: [a, b"))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> loader.load("receivers: {testrcv: }\nexporters: {testexp: }"))
        .hasMessageStartingWith("service: missing");
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: }\nexporters: {testexp: }\nservice: {pipelines: {}}"))
        .hasMessageStartingWith("service::pipelines: no pipelines configured");
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: }\nexporters: {testexp: }\n"
                + "service: {pipelines: {spans: {receivers: [testrcv], exporters: [testexp]}}}"))
        .hasMessageStartingWith("service::pipelines::spans: unknown pipeline type");
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: }\nexporters: {testexp: }\n"
                + "service: {pipelines: {traces: {receivers: [testrcv], exporters: []}}}"))
        .hasMessageStartingWith("service::pipelines::traces::exporters: a pipeline needs at least"
            + " one exporter");
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: }\nexporters: {testexp: {queue: {size: many}}}\n"
                + "service: {pipelines: {traces: {receivers: [testrcv], exporters: [testexp]}}}"))
        .hasMessageStartingWith("exporters::testexp::queue::size: cannot use \"many\" as an"
            + " integer");
  }

  @Test
  void listingAComponentTwiceIsAnError() {
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: }\nexporters: {testexp: }\n"
                + "service: {pipelines: {traces: {receivers: [testrcv, testrcv],"
                + " exporters: [testexp]}}}"))
        .hasMessageStartingWith("service::pipelines::traces::receivers: lists \"testrcv\" twice");
  }

  @Test
  void extensionsMustBeConfigured() {
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: }\nexporters: {testexp: }\n"
                + "service: {extensions: [health_check], pipelines: {traces: {receivers: [testrcv],"
                + " exporters: [testexp]}}}"))
        .hasMessageStartingWith("service::extensions: references extension \"health_check\"");
  }

  @Test
  void unusedComponentsAreStillValidated() {
    assertThatThrownBy(() -> loader.load(
            "receivers: {testrcv: , testrcv/unused: {endpoint: x}}\nexporters: {testexp: }\n"
                + "service: {pipelines: {traces: {receivers: [testrcv], exporters: [testexp]}}}"))
        .hasMessageStartingWith("receivers::testrcv/unused::endpoint:");
  }

  @Test
  void listsOfIdsAreParsed() {
    GatewayConfig c = loader.load(resource("good.yaml"));
    assertThat(c.pipelines().get(PipelineId.parse("traces")).exporters())
        .isEqualTo(List.of(ComponentId.parse("testexp"), ComponentId.parse("forward")));
  }
}
