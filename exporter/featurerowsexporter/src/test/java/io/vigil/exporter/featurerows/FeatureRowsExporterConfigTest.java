package io.vigil.exporter.featurerows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The featurerows exporter's testdata: the good config loads, each bad one names its key. */
class FeatureRowsExporterConfigTest {

  @Test
  void goodConfigLoads() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (FeatureRowsExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("featurerows")).config();
    assertThat(cfg.window).isEqualTo(Duration.ofSeconds(15));
    assertThat(cfg.retention.maxSizeMib).isEqualTo(256);
    assertThat(cfg.features).extracting(f -> f.name)
        .containsExactly("request_rate", "error_ratio", "latency_p99", "heap_floor",
            "heap_floor_change_5m");
    assertThat(cfg.features.get(2).quantile).isEqualTo(0.99);
    assertThat(cfg.features.get(4).of).isEqualTo("heap_floor");
    assertThat(cfg.features.get(4).over).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.features.get(0).where).containsEntry("span.kind", "SPAN_KIND_SERVER");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml               | exporters::featurerows::retention::max_size: unknown key",
    "bad-aggregation.yaml               | exporters::featurerows::features::1::aggregation: unknown \"p95\"",
    "bad-missing-directory.yaml         | exporters::featurerows::directory: required",
    "bad-roll-interval.yaml             | exporters::featurerows::roll_interval: must be a multiple of window",
    "bad-ratio-without-numerator.yaml   | exporters::featurerows::features::0::numerator: ratio needs",
    "bad-change-over.yaml               | exporters::featurerows::features::1::over: must be a whole"
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
