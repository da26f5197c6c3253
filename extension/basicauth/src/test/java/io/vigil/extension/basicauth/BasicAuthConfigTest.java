package io.vigil.extension.basicauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BasicAuthConfigTest {

  private static BasicAuthConfig config(GatewayConfig c, String id) {
    return (BasicAuthConfig) c.component(ComponentKind.EXTENSION, ComponentId.parse(id)).config();
  }

  @Test
  void collectorReadmeExampleLoadsAndItsClientPassesItsServer() throws Exception {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    BasicAuthExtension server = new BasicAuthExtension(config(c, "basicauth/server"));
    BasicAuthExtension client = new BasicAuthExtension(config(c, "basicauth/client"));
    server.start();
    client.start();
    Map<String, String> sent = client.headers();
    assertThat(sent).containsExactly(Map.entry("Authorization", "Basic dXNlcm5hbWU6cGFzc3dvcmQ="));
    assertThatCode(() -> server.authenticate(Map.of("authorization",
        List.of(sent.get("Authorization"))))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-both.yaml          | extensions::basicauth::client_auth: set either htpasswd or client_auth",
    "bad-none.yaml          | extensions::basicauth::htpasswd: one of htpasswd (server) or client_auth (client) is required",
    "bad-md5.yaml           | extensions::basicauth::htpasswd::inline: line 2 (user \"alice\"): MD5 hashes ($apr1$) are not supported",
    "bad-missing-file.yaml  | extensions::basicauth::htpasswd::file: no such file \"/nonexistent/vigil/htpasswd\"",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
