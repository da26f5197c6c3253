package io.vigil.processor.redaction;

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

class RedactionConfigTest {

  @Test
  void collectorReadmeExampleLoadsUnchanged() {
    GatewayConfig c = ConfigTestdata.load("collector-example.yaml");
    RedactionConfig r = (RedactionConfig)
        c.component(ComponentKind.PROCESSOR, ComponentId.of("redaction")).config();
    assertThat(r.allowAllKeys).isFalse();
    assertThat(r.allowedKeys).containsExactly("description", "group", "id", "name");
    assertThat(r.ignoredKeys).containsExactly("safe_attribute");
    assertThat(r.redactAllTypes).isTrue();
    assertThat(r.blockedKeyPatterns).containsExactly(".*token.*", ".*api_key.*");
    assertThat(r.blockedValues).containsExactly("4[0-9]{12}(?:[0-9]{3})?", "(5[1-5][0-9]{14})");
    assertThat(r.allowedValues).containsExactly(".+@mycompany.com");
    assertThat(r.hashFunction).isEqualTo("md5");
    assertThat(r.summary).isEqualTo("debug");
    RedactionConfig presets = (RedactionConfig)
        c.component(ComponentKind.PROCESSOR, ComponentId.parse("redaction/presets")).config();
    assertThat(presets.blockedValuePresets)
        .containsExactly("credit_card", "email", "bearer_token", "aws_access_key");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-regex.yaml         | processors::redaction::blocked_values::0: not a regular expression",
    "bad-regex-lookbehind.yaml | processors::redaction::blocked_values::1: not a regular expression (Go/RE2 syntax)",
    "bad-summary.yaml       | processors::redaction::summary: unsupported value \"verbose\"; use debug, info or silent",
    "bad-preset.yaml        | processors::redaction::blocked_value_presets::1: unknown preset \"iban\"",
    "bad-url-sanitizer.yaml | processors::redaction::url_sanitizer: unknown key",
    "bad-hash.yaml          | processors::redaction::hash_function: unsupported value \"sha512\"",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
