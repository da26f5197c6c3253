package io.vigil.connector.anomaly;

import io.vigil.analysis.anomaly.NeighbourDetector;
import io.vigil.analysis.anomaly.ShingleForestDetector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code detector} block as the gateway binds it from YAML (snake_case, merged defaults). */
class DetectorSettingsBindingTest {

  private static MetricAnomalyConfig bind(String yaml) throws Exception {
    Map<?, ?> tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
    return ConfigLoader.configBinder().convertValue(tree, MetricAnomalyConfig.class);
  }

  @Test
  void neighbourScalesReplaceTheDefaultsAndOtherKeysKeepTheirs() throws Exception {
    MetricAnomalyConfig c = bind("""
        detector:
          neighbours:
            scales: [{shingle: 4, block: 2}]
            onset_points: 20
        """);
    assertThat(c.detector.algorithm).isEqualTo("neighbours");
    assertThat(c.detector.neighbours.scales).singleElement()
        .satisfies(s -> assertThat(new int[] {s.shingle, s.block}).containsExactly(4, 2));
    assertThat(c.detector.neighbours.onsetPoints).isEqualTo(20);
    assertThat(c.detector.neighbours.tailHistory).isEqualTo(6000);
    assertThat(c.detector.alarmLevel()).isEqualTo(0.586);
    new AnomalyConnectorFactory().validate(c);
    assertThat(c.detector.create(Runnable::run)).isInstanceOf(NeighbourDetector.class);
  }

  @Test
  void theForestIsChosenWithItsOwnBlock() throws Exception {
    MetricAnomalyConfig c = bind("""
        detector:
          algorithm: isolation_forest
          isolation_forest: {rest_points: 0}
        """);
    assertThat(c.detector.isolationForest.restPoints).isZero();
    assertThat(c.detector.isolationForest.shingle).isEqualTo(4);
    assertThat(c.detector.alarmLevel()).isEqualTo(0.99);
    assertThat(c.detector.create(Runnable::run)).isInstanceOf(ShingleForestDetector.class);
  }

  @Test
  void aBadScaleIsNamedByItsPath() throws Exception {
    MetricAnomalyConfig c = bind("""
        detector:
          neighbours:
            scales: [{shingle: 8, block: 4}, {shingle: 8, block: 0}]
        """);
    assertThatThrownBy(() -> new AnomalyConnectorFactory().validate(c))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("detector::neighbours::scales::1");
  }
}
