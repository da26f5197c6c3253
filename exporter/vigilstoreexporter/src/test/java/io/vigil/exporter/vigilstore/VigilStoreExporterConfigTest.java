package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Config of the vigilstore exporter: defaults, and errors by key. */
class VigilStoreExporterConfigTest {

  @Test
  void goodConfigSetsEveryKey() {
    var c = (VigilStoreExporterConfig) ConfigTestdata.load("good.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("vigilstore")).config();
    assertThat(c.directory).isEqualTo("/var/lib/vigil/store");
    assertThat(c.retention).isEqualTo(Duration.ofHours(72));
    assertThat(c.maxDiskBytes).isEqualTo(10_000_000_000L);
    assertThat(c.console.endpoint).isEqualTo("127.0.0.1:9686");
    assertThat(c.console.token).isEqualTo("s3cret");
    assertThat(c.console.incidentsApi).isEqualTo("http://127.0.0.1:8687");
    assertThat(c.console.incidentsApiToken).isEqualTo("inc1dents");
  }

  @Test
  void aConsoleCanReadTheClustersBackends() {
    var c = (VigilStoreExporterConfig) ConfigTestdata.load("good-console-cluster-source.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("vigilstore")).config();
    assertThat(c.console.source.type).isEqualTo("elasticsearch");
    assertThat(c.console.source.endpoint).isEqualTo("http://elasticsearch:9200");
    assertThat(c.console.source.tracesIndex).isEqualTo("traces-*");
    assertThat(c.console.source.prometheus).isEqualTo("http://prometheus:9090");
    assertThat(new VigilStoreExporterConfig().console.source.type).isEqualTo("store");
  }

  @Test
  void defaultsKeepADayAndServeTheConsoleOnLoopback() {
    var c = new VigilStoreExporterConfig();
    assertThat(c.retention).isEqualTo(Duration.ofHours(24));
    assertThat(c.maxDiskBytes).isZero();
    assertThat(c.console.endpoint).isEqualTo("127.0.0.1:8686");
    assertThat(c.console.token).isEmpty();
    assertThat(c.console.incidentsApi).as("no incidents view unless configured").isEmpty();
  }

  @Test
  void anExposedConsoleWithATokenOrALoopbackOneWithoutIsAccepted() {
    var exposed = new VigilStoreExporterConfig();
    exposed.directory = "/tmp/s";
    exposed.console.endpoint = "0.0.0.0:8686";
    exposed.console.token = "s3cret";
    exposed.validate();
    var local = new VigilStoreExporterConfig();
    local.directory = "/tmp/s";
    local.console.endpoint = "localhost:8686";
    local.validate();
    local.console.endpoint = "[::1]:8686";
    local.validate();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-directory.yaml     | exporters::vigilstore::directory: required",
    "bad-retention.yaml             | exporters::vigilstore::retention: must be at least 1h",
    "bad-max-disk-bytes.yaml        | exporters::vigilstore::max_disk_bytes: must be 0",
    "bad-console-endpoint.yaml      | exporters::vigilstore::console::endpoint: expected host:port",
    "bad-console-exposed-without-token.yaml | exporters::vigilstore::console::token: required when console::endpoint (0.0.0.0:8686) is not a loopback address",
    "bad-console-incidents-api.yaml | exporters::vigilstore::console::incidents_api: expected the base URL",
    "bad-console-source-type.yaml   | exporters::vigilstore::console::source::type: must be store or elasticsearch, got \"loki\"",
    "bad-console-source-no-endpoint.yaml | exporters::vigilstore::console::source::endpoint: required with type elasticsearch",
    "bad-console-source-prometheus.yaml  | exporters::vigilstore::console::source::prometheus: must be an http:// or https:// URL",
    "bad-unknown-key.yaml           | exporters::vigilstore::retension: unknown key",
    "bad-console-unknown-key.yaml   | exporters::vigilstore::console::tokn: unknown key",
    "bad-console-tls-no-key.yaml    | exporters::vigilstore::console::tls::key_file: required when tls is set",
    "bad-console-tls-missing-file.yaml | exporters::vigilstore::console::tls::cert_file: no such file",
    "bad-console-tls-exposed-without-token.yaml | exporters::vigilstore::console::token: required when console::endpoint (0.0.0.0:8686) is not a loopback address",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
