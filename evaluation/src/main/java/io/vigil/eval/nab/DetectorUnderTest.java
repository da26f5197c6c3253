package io.vigil.eval.nab;

import io.vigil.analysis.anomaly.DetectorSettings;
import io.vigil.analysis.anomaly.SeriesDetector;

/** The detector the NAB runner measures: the metrics anomaly processor's, default settings. */
final class DetectorUnderTest {

  private DetectorUnderTest() {}

  static SeriesDetector create() {
    return create(new DetectorSettings());
  }

  static SeriesDetector create(DetectorSettings settings) {
    return settings.create(Runnable::run);
  }
}
