package io.vigil.analysis.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ShingleForestDetectorTest {

  private static final long MINUTE = 60_000_000_000L;

  /** A daily wave with noise, 5-minute points, and what to plant in it. */
  private static double[] series(int n, int spikeAt, int shiftAt) {
    Random r = new Random(11);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 288.0) + r.nextGaussian();
      if (i == spikeAt) {
        v[i] += 40;
      }
      if (shiftAt >= 0 && i >= shiftAt) {
        v[i] += 30;
      }
    }
    return v;
  }

  private static double[] run(double[] v) {
    ShingleForestDetector d = new ShingleForestDetector(new ForestSettings());
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = d.update(i * 5 * MINUTE, v[i]);
    }
    return s;
  }

  private static int alarms(double[] scores, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += scores[i] >= new ForestSettings().alarmLevel ? 1 : 0;
    }
    return n;
  }

  @Test
  void falseAlarmsOnNoiseAreBoundedByTheRest() {
    double[] scores = run(series(3000, -1, -1));
    int rest = new ForestSettings().restPoints;
    int noisePoints = 3000 - new ForestSettings().firstFit;
    assertThat(alarms(scores, 0, 3000)).isLessThanOrEqualTo(noisePoints / rest + 1);
  }

  @Test
  void scoresNeverDependOnLaterPoints() {
    double[] full = series(2600, 2400, -1);
    double[] prefix = java.util.Arrays.copyOf(full, 2300);
    double[] a = run(full);
    double[] b = run(prefix);
    assertThat(java.util.Arrays.copyOf(a, 2300)).containsExactly(b);
  }

  @Test
  void nothingIsScoredBeforeTheFirstFit() {
    double[] scores = run(series(400, 100, -1));
    for (int i = 0; i < new ForestSettings().firstFit; i++) {
      assertThat(scores[i]).isZero();
    }
  }
}
