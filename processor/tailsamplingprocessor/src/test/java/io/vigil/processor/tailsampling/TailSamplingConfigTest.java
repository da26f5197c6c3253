package io.vigil.processor.tailsampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.processor.tailsampling.policy.NamedPolicy;
import io.vigil.processor.tailsampling.policy.Policies;
import io.vigil.processor.tailsampling.policy.SamplingClock;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Collector README's example loads unchanged; bad configs name the key. */
class TailSamplingConfigTest {

  @Test
  void theCollectorReadmeExampleLoadsUnchanged() {
    GatewayConfig c = ConfigTestdata.load("collector-readme-example.yaml");
    var cfg = (TailSamplingConfig) c.component(ComponentKind.PROCESSOR,
        ComponentId.of("tail_sampling")).config();
    assertThat(cfg.decisionWait).isEqualTo(Duration.ofSeconds(10));
    assertThat(cfg.numTraces).isEqualTo(100);
    assertThat(cfg.expectedNewTracesPerSec).isEqualTo(10);
    assertThat(cfg.decisionCache.sampledCacheSize).isEqualTo(100_000);
    assertThat(cfg.decisionCache.nonSampledCacheSize).isEqualTo(100_000);
    List<NamedPolicy> policies = Policies.build(cfg.policies, SamplingClock.system());
    assertThat(policies).extracting(NamedPolicy::name).containsExactly(
        "test-policy-1", "test-policy-2", "test-policy-3", "test-policy-4", "test-policy-5",
        "test-policy-6", "test-policy-7", "test-policy-8", "test-policy-9", "test-policy-10",
        "test-policy-11", "test-policy-12", "test-policy-13", "and-policy-1", "drop-policy-1",
        "composite-policy-1");
    assertThat(cfg.policies.get(13).andPolicy.andSubPolicy).hasSize(2);
    assertThat(cfg.policies.get(15).composite.rateAllocation).extracting(a -> a.percent)
        .containsExactly(50.0, 25.0);
    assertThat(cfg.policies.get(12).ottlCondition.span).hasSize(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-no-policies.yaml          | processors::tail_sampling::policies: at least one policy is required",
    "bad-unknown-type.yaml         | processors::tail_sampling::policies::0::type: unknown policy type \"always_samples\"",
    "bad-latency.yaml              | processors::tail_sampling::policies::0::latency::upper_threshold_ms: must be 0",
    "bad-regex.yaml                | processors::tail_sampling::policies::0::string_attribute::values::1: not a regular expression",
    "bad-regex-backreference.yaml  | processors::tail_sampling::policies::0::string_attribute::values::0: not a regular expression (Go/RE2 syntax: no look-around or back-references)",
    "bad-status-code.yaml          | processors::tail_sampling::policies::0::status_code::status_codes::1: unknown status code \"FAILED\"",
    "bad-and-empty.yaml            | processors::tail_sampling::policies::0::and::and_sub_policy: at least one sub-policy",
    "bad-composite-allocation.yaml | processors::tail_sampling::policies::0::composite::rate_allocation::0::policy: names no composite_sub_policy",
    "bad-ottl.yaml                 | processors::tail_sampling::policies::0::ottl_condition::span::0: unsupported OTTL condition",
    "bad-duplicate-name.yaml       | processors::tail_sampling::policies::1::name: duplicate policy name \"p\"",
    "bad-num-traces.yaml           | processors::tail_sampling::num_traces: must be a positive number",
    "bad-unknown-key.yaml          | processors::tail_sampling::policies::0::probabilistic::sampling_percent: unknown key",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
