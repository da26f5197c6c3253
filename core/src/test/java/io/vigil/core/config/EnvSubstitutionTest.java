package io.vigil.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSubstitutionTest {

  private final EnvSubstitution env =
      new EnvSubstitution(Map.of("HOST", "db.internal", "PORT", "5432", "EMPTY", "")::get);

  @Test
  void expandsCollectorStyleReferences() {
    assertThat(env.expand("${env:HOST}:${env:PORT}", "k")).isEqualTo("db.internal:5432");
    assertThat(env.expand("${HOST}", "k")).isEqualTo("db.internal");
    assertThat(env.expand("${env:MISSING:-fallback}", "k")).isEqualTo("fallback");
    assertThat(env.expand("${env:MISSING:-}", "k")).isEmpty();
    assertThat(env.expand("${env:EMPTY:-x}", "k")).as("set but empty wins").isEmpty();
    assertThat(env.expand("price $$5 ${env:PORT}", "k")).isEqualTo("price $5 5432");
    assertThat(env.expand("no refs", "k")).isEqualTo("no refs");
  }

  @Test
  void valuesAreNotReexpanded() {
    EnvSubstitution e = new EnvSubstitution(Map.of("A", "${env:B}", "B", "secret")::get);
    assertThat(e.expand("${env:A}", "k")).isEqualTo("${env:B}");
  }

  @Test
  void unsetWithoutDefaultNamesVariableAndKey() {
    assertThatThrownBy(() -> env.expand("${env:NOPE}", "exporters::otlp::endpoint"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("exporters::otlp::endpoint: environment variable NOPE is not set and the"
            + " reference has no default (write ${env:NOPE:-default} to give one)");
  }

  @Test
  void malformedReferenceIsAnError() {
    assertThatThrownBy(() -> env.expand("${env:HOST", "a::b"))
        .hasMessageStartingWith("a::b: malformed reference");
  }
}
