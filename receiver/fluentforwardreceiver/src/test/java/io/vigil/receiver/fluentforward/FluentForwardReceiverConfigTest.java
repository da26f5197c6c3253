package io.vigil.receiver.fluentforward;

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

/** The fluentforward receiver's testdata: the good config loads, each bad one names its key. */
class FluentForwardReceiverConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (FluentForwardConfig) c.component(ComponentKind.RECEIVER, ComponentId.of("fluentforward")).config();
    assertThat(cfg.maxFrameSizeMib).isEqualTo(4);
    assertThat(cfg.security.sharedKey).isEqualTo("secret");
  }

  @Test
  void userAuthLoadsWithPasswordsFromTheEnvironment() {
    GatewayConfig c = ConfigTestdata.load("good-user-auth.yaml");
    var cfg = (FluentForwardConfig) c.component(ComponentKind.RECEIVER, ComponentId.of("fluentforward")).config();
    assertThat(cfg.security.userAuth).isTrue();
    assertThat(cfg.security.passwords()).containsExactly(
        org.assertj.core.api.Assertions.entry("fluent-bit", "from-env"),
        org.assertj.core.api.Assertions.entry("fluentd", "s3cret"));
    assertThat(cfg.security.users.toString()).doesNotContain("s3cret");
    assertThat(cfg.security.lockout.maxFailures).isEqualTo(10);
    assertThat(cfg.security.lockout.window).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(cfg.security.lockout.duration).isEqualTo(java.time.Duration.ofMinutes(15));
  }

  @Test
  void theLockOutIsOnByDefault() {
    FluentForwardConfig d = new FluentForwardReceiverFactory().createDefaultConfig();
    assertThat(d.security.lockout.maxFailures).isEqualTo(5);
    assertThat(d.security.lockout.window).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(d.security.lockout.duration).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml      | receivers::fluentforward::security::shared_secret: unknown key",
    "bad-wrong-type.yaml       | receivers::fluentforward::max_frame_size_mib: cannot use \"sixteen\" as an integer",
    "bad-user-auth-without-shared-key.yaml | receivers::fluentforward::security::shared_key: required with user_auth",
    "bad-user-without-password.yaml        | receivers::fluentforward::security::users::1::password: must not be empty",
    "bad-lockout-duration.yaml             | receivers::fluentforward::security::lockout::duration: must be a positive duration"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
