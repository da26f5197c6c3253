package io.vigil.extension.bearertokenauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerTokenAuthConfigTest {

  private static BearerTokenAuthConfig config(GatewayConfig c, String id) {
    return (BearerTokenAuthConfig)
        c.component(ComponentKind.EXTENSION, ComponentId.parse(id)).config();
  }

  @Test
  void collectorReadmeExamplesLoad() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    assertThat(config(c, "bearertokenauth/withscheme").token).isEqualTo("randomtoken");
    assertThat(config(c, "bearertokenauth/multipletokens").tokens)
        .containsExactly("randomtoken", "thistokenalsoworks");
    BearerTokenAuthConfig apiKey = config(c, "bearertokenauth/apikey");
    assertThat(apiKey.header).isEqualTo("X-API-Key");
    assertThat(apiKey.scheme).isEmpty();
    assertThat(apiKey.token).isEqualTo("k3y");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-no-token.yaml          | extensions::bearertokenauth::token: one of token, tokens or filename is required",
    "bad-null-token.yaml        | extensions::bearertokenauth::token: one of token, tokens or filename is required",
    "bad-token-and-tokens.yaml  | extensions::bearertokenauth::tokens: set either token or tokens, not both",
    "bad-missing-file.yaml      | extensions::bearertokenauth::filename: cannot read \"/nonexistent/vigil/token\"",
    "bad-unknown-key.yaml       | extensions::bearertokenauth::tokn: unknown key",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
