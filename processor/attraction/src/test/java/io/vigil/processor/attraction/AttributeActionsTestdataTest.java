package io.vigil.processor.attraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The testdata action lists: the good one compiles whole, each bad one names its entry and key. */
class AttributeActionsTestdataTest {

  private static AttributeActions load(String name) throws IOException {
    try (InputStream in = AttributeActionsTestdataTest.class.getResourceAsStream("/testdata/" + name)) {
      assertThat(in).as("testdata/" + name).isNotNull();
      JsonNode list = new YAMLMapper().readTree(in);
      List<ActionConfig> configs = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        try {
          configs.add(ConfigLoader.configBinder().treeToValue(list.get(i), ActionConfig.class));
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
          throw new ConfigException("actions::" + i + "::" + e.getPropertyName(), "unknown key");
        }
      }
      return AttributeActions.compile(configs, "actions");
    }
  }

  @Test
  void goodListCompilesEveryAction() throws IOException {
    AttributeActions a = load("good.yaml");
    assertThat(a.size()).isEqualTo(9);
    assertThat(a.contextKeys()).containsExactly("metadata.tenant");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-action.yaml        | actions::1::action: unknown action \"rename\"",
    "bad-two-sources.yaml           | actions::0: set one of value, from_attribute and from_context",
    "bad-extract-without-names.yaml | actions::0::pattern: has no named groups",
    "bad-convert-type.yaml          | actions::0::converted_type: unknown type \"long\"",
    "bad-pattern.yaml               | actions::0::pattern: invalid regular expression",
    "bad-unknown-key.yaml           | actions::0::overwrite: unknown key",
  })
  void badListNamesTheEntryAndKey(String file, String message) {
    assertThatThrownBy(() -> load(file)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
