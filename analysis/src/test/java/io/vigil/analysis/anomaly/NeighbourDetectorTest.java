package io.vigil.analysis.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class NeighbourDetectorTest {

  private static final double ALARM = new NeighbourSettings().alarmLevel;

  /** A daily wave (288 points a day) with noise; what a latency or load metric looks like. */
  private static double[] daily(int n, long seed, DoubleUnaryOperator plant) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 288.0) + r.nextGaussian();
      v[i] += plant.applyAsDouble(i);
    }
    return v;
  }

  private static List<Integer> alarms(double[] v) {
    NeighbourDetector d = new NeighbourDetector(new NeighbourSettings());
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      double s = d.update(i * 300_000_000_000L, v[i]);
      assertThat(s).isBetween(0.0, 1.0);
      if (s >= ALARM) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Each planted event must alarm inside its window, as NAB draws it (10 % of the series shared
   * among the events, centred on the event: here 140 points, so at most 70 points late), and
   * nothing may alarm in the 300 points before the window.
   */
  private static void assertInsideWindowsOnly(List<Integer> alarms, int... events) {
    for (int at : events) {
      assertThat(alarms).as("an alarm in the window of the event at %d: %s", at, alarms)
          .anySatisfy(a -> assertThat(a).isBetween(at, at + 70));
      assertThat(alarms).as("no alarm in the 300 points before the window of %d", at)
          .noneSatisfy(a -> assertThat(a).isBetween(at - 70 - 300, at - 71));
    }
  }

  @Test
  void plantedSpikesAndALevelShiftAlarmInsideTheirWindowsAndNotBefore() {
    // Spikes of 25 sigma at 1500 and 2600; the level moves up 20 sigma at 3400 and stays.
    double[] v = daily(4200, 11, i -> (i == 1500 || i == 2600 ? 25 : 0) + (i >= 3400 ? 20 : 0));
    List<Integer> alarms = alarms(v);
    assertInsideWindowsOnly(alarms, 1500, 2600, 3400);
    assertThat(alarms).as("the spikes alarm at once").contains(1500, 2600);
  }

  @Test
  void aSecondIncidentLikeTheFirstStillAlarms() {
    // Nearest-neighbour novelty would call the second dip normal: it has a precedent. The k-th
    // neighbour (k = 3) does not, until the shape has been seen k times.
    double[] v = daily(3000, 12, i -> (i >= 1500 && i < 1504) || (i >= 2400 && i < 2404)
        ? -30 : 0);
    assertInsideWindowsOnly(alarms(v), 1500, 2400);
  }

  @Test
  void aLastingChangeAlarmsAtItsOnsetThenIsLearned() {
    double[] v = daily(3600, 13, i -> i >= 1900 ? 25 : 0);
    List<Integer> alarms = alarms(v);
    // Not asserted: quiet before the window. On this smooth wave the long scale (32 blocks of
    // 8), whose tail is fitted on few readings while the series is young, false-alarms at 1759
    // and 1799 — a known weakness, docs/evaluation.md.
    assertThat(alarms).as("alarms %s", alarms).contains(1900);
    assertThat(alarms.stream().filter(a -> a >= 2200).count())
        .as("alarms once the new level is learned: %s", alarms)
        .isLessThanOrEqualTo(3);
  }

  @Test
  void anAlarmSilencesTheNextPointsUnlessTheyAreClearlyStronger() {
    // The onset rule: after a point at the floor probability (the top score), nothing in the
    // next onset_points can be 1.5 times as surprising, so an event right after is missed.
    // Measured trade-off (docs/evaluation.md): without the rule NAB standard drops to 58.7.
    NeighbourSettings settings = new NeighbourSettings();
    double[] v = daily(2600, 16, i -> (i == 2000 ? 40 : 0) + (i == 2020 ? 60 : 0));
    NeighbourDetector d = new NeighbourDetector(settings);
    double[] s = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      s[i] = d.update(i, v[i]);
    }
    assertThat(s[2000]).isGreaterThanOrEqualTo(settings.alarmLevel);
    assertThat(s[2020]).isZero();
    settings.onsetPoints = 0;
    NeighbourDetector without = new NeighbourDetector(settings);
    double[] t = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      t[i] = without.update(i, v[i]);
    }
    assertThat(t[2020]).isGreaterThanOrEqualTo(settings.alarmLevel);
  }

  @Test
  void aChangedShapeAtAnOrdinaryLevelAlarms() {
    // One day the wave stays flat at its mean: every value is ordinary, the shape is not.
    double[] v = daily(4000, 14, i -> i >= 2880 && i < 3168
        ? -10 * Math.sin(2 * Math.PI * i / 288.0) : 0);
    List<Integer> alarms = alarms(v);
    assertThat(alarms).as("alarms %s", alarms)
        .anySatisfy(a -> assertThat(a).isBetween(2880, 3168));
    assertThat(alarms).noneSatisfy(a -> assertThat(a).isBetween(2580, 2879));
  }

  @Test
  void aFlatSeriesNeverAlarmsUntilItMoves() {
    double[] v = new double[2000];
    java.util.Arrays.fill(v, 45);
    v[1500] = 46;
    assertThat(alarms(v)).first().isEqualTo(1500);
  }

  @Test
  void aNewSeriesIsQuietForItsWarmupThenAlarms() {
    int warmup = new NeighbourSettings().warmupPoints;
    double[] v = daily(600, 17, i -> i == warmup - 20 || i == warmup + 200 ? 40 : 0);
    List<Integer> alarms = alarms(v);
    assertThat(alarms).as("alarms %s", alarms)
        .allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(warmup)).contains(warmup + 200);
  }

  @Test
  void pureNoiseRarelyAlarms() {
    Random r = new Random(15);
    double[] v = new double[6000];
    for (int i = 0; i < v.length; i++) {
      v[i] = 100 + 5 * r.nextGaussian();
    }
    // The alarm level is a tail probability of about 1 in 80 per point before the onset rule;
    // the rule leaves far fewer. Bound: under one alarm per 500 points.
    assertThat(alarms(v).size()).isLessThan(v.length / 500);
  }
}
