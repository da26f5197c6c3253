package io.vigil.analysis.anomaly;

import java.util.ArrayList;
import java.util.List;

/**
 * How the neighbour detector reads a series; the {@code detector::neighbours} block of the
 * metrics anomaly connector's config. The defaults are the one configuration measured on all
 * NAB series (docs/evaluation.md).
 */
public class NeighbourSettings {

  /** One resolution: shapes of {@code shingle} block averages of {@code block} points each. */
  public static class Scale {
    public int shingle;
    public int block;

    public Scale() {}

    public Scale(int shingle, int block) {
      this.shingle = shingle;
      this.block = block;
    }
  }

  public List<Scale> scales = new ArrayList<>(List.of(new Scale(1, 1), new Scale(8, 4),
      new Scale(32, 8)));
  /** Which nearest match measures novelty: the k-th, so k-1 earlier incidents still stand out. */
  public int neighbours = 3;
  /** Points of the series' past searched for matches. */
  public int history = 2000;
  /** Points of past distances a new distance is judged against. */
  public int tailHistory = 6000;
  /** Share of the highest past distances the tail distribution is fitted to. */
  public double tailFraction = 0.02;
  /** A point scores only if its surprise exceeds onset_factor times the last onset_points'. */
  public int onsetPoints = 50;
  public double onsetFactor = 1.5;
  /**
   * Points of a new series that never alarm: its first readings are judged against almost no
   * history. Below NAB's shortest probation (169 points), so the NAB figures do not depend on it.
   */
  public int warmupPoints = 150;
  /** Score from which a point alarms: the threshold NAB's sweep chose for these defaults. */
  public double alarmLevel = 0.586;
}
