package io.vigil.processor.attraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each action as the Collector documents it, on attribute lists written as YAML. */
class AttributeActionsTest {

  private static final ObjectMapper BINDER = ConfigLoader.configBinder();
  private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
      new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

  static AttributeActions actions(String yaml) {
    try {
      List<?> raw = YAML.readValue(yaml, List.class);
      List<ActionConfig> configs = raw.stream().map(o -> BINDER.convertValue(o, ActionConfig.class)).toList();
      return AttributeActions.compile(configs, "actions");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<KeyValue> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m.entrySet().stream().map(e -> KeyValue.newBuilder().setKey(e.getKey())
        .setValue(AnyValues.fromRaw(e.getValue(), "test")).build()).toList();
  }

  static Map<String, Object> plain(List<KeyValue> attrs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : attrs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> v.getIntValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        case BOOL_VALUE -> v.getBoolValue();
        default -> AnyValues.asString(v);
      });
    }
    return m;
  }

  @Test
  void insertOnlyWhenAbsentUpdateOnlyWhenPresentUpsertBoth() {
    AttributeActions a = actions("""
        - {key: region, value: eu, action: insert}
        - {key: tier, value: gold, action: insert}
        - {key: missing, value: x, action: update}
        - {key: team, value: payments, action: update}
        - {key: env, value: prod, action: upsert}
        - {key: zone, value: a, action: upsert}
        """);
    List<KeyValue> out = a.apply(attrs("tier", "silver", "team", "core", "env", "dev"));
    assertThat(plain(out)).containsExactly(
        Map.entry("tier", "silver"), Map.entry("team", "payments"), Map.entry("env", "prod"),
        Map.entry("region", "eu"), Map.entry("zone", "a"));
  }

  @Test
  void valuesKeepTheirYamlTypes() {
    List<KeyValue> out = actions("""
        - {key: i, value: 2245, action: insert}
        - {key: d, value: 0.5, action: insert}
        - {key: b, value: true, action: insert}
        - {key: s, value: "2245", action: insert}
        """).apply(List.of());
    assertThat(plain(out)).containsExactly(Map.entry("i", 2245L), Map.entry("d", 0.5),
        Map.entry("b", true), Map.entry("s", "2245"));
  }

  @Test
  void fromAttributeCopiesAndDefaultValueFillsIn() {
    AttributeActions a = actions("""
        - {key: copy_key, from_attribute: key_original, action: upsert}
        - {key: region, from_attribute: cloud.region, default_value: us-east-1, action: insert}
        - {key: nothing, from_attribute: absent, action: upsert}
        """);
    assertThat(plain(a.apply(attrs("key_original", 7L)))).containsExactly(
        Map.entry("key_original", 7L), Map.entry("copy_key", 7L), Map.entry("region", "us-east-1"));
    assertThat(plain(a.apply(attrs("cloud.region", "eu-west-1")))).containsEntry("region", "eu-west-1")
        .doesNotContainKey("nothing");
  }

  @Test
  void fromContextNeverHasAValueSoDefaultValueApplies() {
    AttributeActions a = actions("""
        - {key: tenant_id, from_context: metadata.tenant, default_value: default-tenant, action: upsert}
        - {key: client, from_context: client.address, action: insert}
        """);
    assertThat(plain(a.apply(List.of()))).containsExactly(Map.entry("tenant_id", "default-tenant"));
    assertThat(a.contextKeys()).containsExactly("metadata.tenant", "client.address");
  }

  @Test
  void deleteByKeyAndByPattern() {
    AttributeActions a = actions("""
        - {key: db.table, action: delete}
        - {pattern: ^secret\\., action: delete}
        """);
    assertThat(plain(a.apply(attrs("db.table", "users", "secret.a", 1L, "my.secret.b", 2L, "k", "v"))))
        .containsOnlyKeys("my.secret.b", "k");
  }

  @Test
  void hashIsSha256HexOfTheCollectorsBytes() {
    AttributeActions a = actions("""
        - {key: email, action: hash}
        - {key: empty, action: hash}
        - {key: flag, action: hash}
        - {pattern: ^num, action: hash}
        """);
    Map<String, Object> out = plain(a.apply(attrs("email", "abc", "empty", "", "flag", true, "num", 1L)));
    // FIPS 180-2 test vector for "abc"
    assertThat(out.get("email")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(out.get("empty")).isEqualTo("");
    // SHA-256 of the single byte 0x01 and of 01 00 00 00 00 00 00 00 (1 as little-endian int64)
    assertThat(out.get("flag")).isEqualTo("4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a");
    assertThat(out.get("num")).isEqualTo("7c9fa136d4413fa6173637e883b6998d32e1d675f88cddff9dcbcf331820f4b8");
  }

  @Test
  void extractSetsOneAttributePerNamedGroupWithGoSyntax() {
    AttributeActions a = actions("""
        - key: http.url
          pattern: ^(?P<http_protocol>.*):\\/\\/(?P<http_domain>[^/]*)\\/(?P<http_path>[^?&]*)(?:\\?|\\&)(?P<http_query_params>.*)
          action: extract
        """);
    Map<String, Object> out = plain(a.apply(attrs("http.url", "https://shop.example/cart/add?item=7")));
    assertThat(out).containsExactly(Map.entry("http.url", "https://shop.example/cart/add?item=7"),
        Map.entry("http_protocol", "https"), Map.entry("http_domain", "shop.example"),
        Map.entry("http_path", "cart/add"), Map.entry("http_query_params", "item=7"));
    assertThat(a.apply(attrs("http.url", "not a url"))).hasSize(1);
    assertThat(a.apply(attrs("http.url", 42L))).hasSize(1);
  }

  @Test
  void extractRefusesTheUnnamedGroupTheCollectorAlsoRefuses() {
    // The pattern of the Collector's testdata: its (\?|\&) group has no name, which the
    // Collector's attraction refuses when the processor is built.
    assertThatThrownBy(() -> actions("""
        - key: http.url
          pattern: ^(?P<http_protocol>.*):\\/\\/(?P<http_domain>.*)\\/(?P<http_path>.*)(\\?|\\&)(?P<http_query_params>.*)
          action: extract
        """)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("actions::0::pattern: has an unnamed group");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "int    | '\"42\"'  | INT_VALUE 42",
    "int    | '-7'      | INT_VALUE -7",
    "int    | '3.9'     | INT_VALUE 3",
    "int    | '-3.9'    | INT_VALUE -3",
    "int    | 'true'    | INT_VALUE 1",
    "int    | '\"4x\"'  | STRING_VALUE 4x",
    "double | '\"1e3\"' | DOUBLE_VALUE 1000",
    "double | '5'       | DOUBLE_VALUE 5",
    "double | '\"0.25\"'| DOUBLE_VALUE 0.25",
    "double | '\" 5\"'  | 'STRING_VALUE  5'",
    "double | '\"5d\"'  | STRING_VALUE 5d",
    "double | '\"inf\"' | DOUBLE_VALUE +Inf",
    "string | '2245'    | STRING_VALUE 2245",
    "string | '0.25'    | STRING_VALUE 0.25",
    "string | 'false'   | STRING_VALUE false",
  })
  void convertAsTheCollectorConverts(String type, String yamlValue, String expected) {
    AttributeActions a = actions("- {key: v, action: convert, converted_type: " + type + "}");
    List<KeyValue> in = actions("- {key: v, value: " + yamlValue + ", action: insert}").apply(List.of());
    AnyValue out = a.apply(in).get(0).getValue();
    assertThat(out.getValueCase() + " " + AnyValues.asString(out)).isEqualTo(expected);
  }

  @Test
  void changingNothingReturnsTheSameList() {
    List<KeyValue> in = attrs("a", "1", "b", 2L);
    AttributeActions a = actions("""
        - {key: a, value: "1", action: upsert}
        - {key: absent, action: delete}
        - {key: absent, value: x, action: update}
        - {key: b, action: convert, converted_type: int}
        """);
    assertThat(a.apply(in)).isSameAs(in);
  }

  @Test
  void theInputListIsNeverModified() {
    List<KeyValue> in = new java.util.ArrayList<>(attrs("a", "1"));
    List<KeyValue> before = List.copyOf(in);
    actions("- {key: a, action: delete}\n- {key: z, value: 1, action: insert}").apply(in);
    assertThat(in).isEqualTo(before);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "'- {key: a}'                                              | actions::0::action: required",
    "'- {key: a, action: remove}'                              | actions::0::action: unknown action \"remove\"",
    "'- {value: 1, action: insert}'                            | actions::0::key: required for action insert",
    "'- {action: delete}'                                      | actions::0::key: set key and/or pattern",
    "'- {key: a, action: upsert}'                              | actions::0::value: action upsert needs one of",
    "'- {key: a, value: 1, from_attribute: b, action: upsert}' | actions::0: set one of value",
    "'- {key: a, value: 1, action: delete}'                    | actions::0::value: not used by action delete",
    "'- {key: a, pattern: x, value: 1, action: insert}'        | actions::0::pattern: not used by action insert",
    "'- {key: a, action: extract}'                             | actions::0::pattern: required for action extract",
    "'- {key: a, pattern: \"(a)(?P<b>c)\", action: extract}'   | actions::0::pattern: has an unnamed group",
    "'- {key: a, pattern: abc, action: extract}'               | actions::0::pattern: has no named groups",
    "'- {key: a, pattern: \"(?P<x>[a\", action: extract}'  | actions::0::pattern: invalid regular expression",
    "'- {key: a, action: convert}'                             | actions::0::converted_type: required",
    "'- {key: a, action: convert, converted_type: long}'       | actions::0::converted_type: unknown type \"long\"",
    "'- {key: a, value: 1, action: insert, converted_type: int}' | actions::0::converted_type: not used by action insert",
    "'- {key: a, value: 1, action: insert}\n- {action: hash}'  | actions::1::key: set key and/or pattern",
  })
  void badActionsNameTheirEntryAndKey(String yaml, String message) {
    assertThatThrownBy(() -> actions(yaml.replace("\\n", "\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
