package io.vigil.receiver.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AlertmanagerReceiverConfigTest {

  private static AlertmanagerReceiverConfig receiver(GatewayConfig c) {
    return (AlertmanagerReceiverConfig) c.component(ComponentKind.RECEIVER,
        ComponentId.of("alertmanager")).config();
  }

  @Test
  void goodConfigSetsEveryKey() {
    AlertmanagerReceiverConfig c = receiver(ConfigTestdata.load("good.yaml"));
    assertThat(c.endpoint).isEqualTo("127.0.0.1:9197");
    assertThat(c.path).isEqualTo("/hooks/alertmanager");
    assertThat(c.authToken).isEqualTo("s3cret");
  }

  @Test
  void emptyBlockKeepsTheDocumentedDefaults() {
    AlertmanagerReceiverConfig c = receiver(ConfigTestdata.load("defaults.yaml"));
    assertThat(c.endpoint).isEqualTo("127.0.0.1:9097");
    assertThat(c.path).isEqualTo("/api/v1/alerts");
    assertThat(c.authToken).isEmpty();
    assertThat(c.maxRequestBodySize).isEqualTo(4 << 20);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-endpoint.yaml        | receivers::alertmanager::endpoint: expected host:port",
    "bad-unknown-key.yaml     | receivers::alertmanager::auth_tokn: unknown key",
    "bad-path.yaml            | receivers::alertmanager::path: must start with /",
    "bad-wrong-type.yaml      | receivers::alertmanager::max_request_body_size: cannot use \"big\" as an integer",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void tracesPipelineIsRefusedNamingThePipeline() {
    assertThatThrownBy(() -> ConfigTestdata.load("bad-traces-pipeline.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("traces")
        .hasMessageContaining("alertmanager");
  }
}
