package io.vigil.eval.nab;

import io.vigil.processor.anomaly.DetectorSettings;
import io.vigil.processor.anomaly.SeriesDetector;
import io.vigil.processor.anomaly.ShingleForestDetector;

/** The detector the NAB runner measures: the metrics anomaly processor's, default settings. */
final class DetectorUnderTest {

  private DetectorUnderTest() {}

  static SeriesDetector create() {
    return new ShingleForestDetector(new DetectorSettings());
  }
}
