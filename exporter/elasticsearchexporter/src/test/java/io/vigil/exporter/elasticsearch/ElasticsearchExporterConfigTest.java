package io.vigil.exporter.elasticsearch;

import io.vigil.testing.StandInReceiverFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configs from src/test/resources/elasticsearch: a good one, and bad ones naming their key. */
class ElasticsearchExporterConfigTest {

  private final ComponentRegistry registry = ComponentRegistry.builder()
      .add(ComponentKind.RECEIVER, new StandInReceiverFactory())
      .add(ComponentKind.EXPORTER, new ElasticsearchExporterFactory())
      .build();

  private static String yaml(String name) throws IOException {
    try (InputStream in = ElasticsearchExporterConfigTest.class
        .getResourceAsStream("/testdata/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void goodConfigSetsKeysAndKeepsDefaults() throws IOException {
    GatewayConfig c = new ConfigLoader(registry).load(yaml("good.yaml"));
    var es = (ElasticsearchExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("elasticsearch")).config();
    assertThat(es.allEndpoints()).containsExactly("https://es-1:9200", "https://es-2:9200");
    assertThat(es.dataStream.dataset).isEqualTo("checkout");
    assertThat(es.retention.rolloverMaxAge).isEqualTo(Duration.ofHours(12));
    assertThat(es.retention.deleteAfter).isEqualTo(Duration.ofDays(30));
    assertThat(es.retention.rolloverMaxSize).isEqualTo("50gb");
    assertThat(es.installTemplates).isTrue();
    assertThat(es.compression).isEqualTo("gzip");
    assertThat(es.sendingQueue.numConsumers).isEqualTo(4);
    assertThat(es.timeout).isEqualTo(Duration.ofSeconds(30));
    assertThat(SearchEngineHttp.authorization(es)).startsWith("ApiKey VnVh");

    var dated = (ElasticsearchExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.parse("elasticsearch/dated")).config();
    assertThat(dated.mapping.mode).isEqualTo("otel");
    assertThat(SearchEngineHttp.authorization(dated)).isEqualTo("Basic dmlnaWw6c2VjcmV0");
    assertThat(IndexNames.logs(dated).target(0, java.util.List.of(), java.util.List.of())
        .index()).matches("vigil-logs-\\d{4}\\.\\d{2}\\.\\d{2}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-endpoint.yaml   | exporters::elasticsearch::endpoints: required",
    "bad-mapping-mode.yaml       | exporters::elasticsearch::mapping::mode: unsupported value \"raw\"",
    "bad-auth-both.yaml          | exporters::elasticsearch::api_key: set either api_key or user and password",
    "bad-auth-user-only.yaml     | exporters::elasticsearch::password: user and password go together",
    "bad-auth-old-spelling.yaml  | exporters::elasticsearch::auth::user: moved: write user directly under the exporter",
    "bad-auth-authenticator.yaml | exporters::elasticsearch::auth::authenticator: auth extensions are not supported",
    "bad-endpoint-url.yaml       | exporters::elasticsearch::endpoints::1: expected an http:// or https:// URL",
    "bad-logs-index.yaml         | exporters::elasticsearch::logs_index: \"Logs*\" is not a valid index name prefix",
    "bad-dataset.yaml            | exporters::elasticsearch::data_stream::dataset: \"my-app\" is not usable",
    "bad-retention-size.yaml     | exporters::elasticsearch::retention::rollover_max_size: \"50 gigs\"",
    "bad-retention-without-templates.yaml | exporters::elasticsearch::retention::enabled: needs install_templates: true",
    "bad-unknown-key.yaml        | exporters::elasticsearch::retention::delete_afer: unknown key",
    "bad-ca-file.yaml            | exporters::elasticsearch::tls::ca_file: no such file",
    "bad-date-format.yaml        | exporters::elasticsearch::index_date_format: not a date pattern",
    "bad-wrong-type.yaml         | exporters::elasticsearch::template_priority: cannot use \"high\" as an integer",
  })
  void badConfigNamesTheKeyPath(String file, String message) {
    assertThatThrownBy(() -> new ConfigLoader(registry).load(yaml(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

}
