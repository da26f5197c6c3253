package io.vigil.analysis.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default series detector: at several resolutions (single points, short shapes, long
 * averaged shapes), how far the recent shape is from its nearest precedents in the series' own
 * history, turned into a tail probability against that resolution's past distances so scores
 * compare across series. The most surprising resolution wins, corrected for having looked at
 * several. An event alarms at its onset: a point scores only if its surprise clearly exceeds
 * everything in the last few points, so a lasting anomaly raises one alarm, and a stronger one
 * right after it raises another.
 *
 * <p>The score is {@code s / (1 + s)} for a surprise of s (-log10 of a probability): 0.5 is a
 * 1-in-10 point, 0.75 a 1-in-1000 one. The model is the series' recent history itself, so it
 * learns continuously, and nothing is refitted.
 */
public final class NeighbourDetector implements SeriesDetector {

  private final List<NeighbourScale> scales = new ArrayList<>();
  private final double correction;
  private final double[] recentSurprise;
  private final double onsetFactor;
  private final int warmupPoints;
  private long points;
  private NeighbourScale strongest;
  private double strongestSurprise;

  public NeighbourDetector(NeighbourSettings settings) {
    for (NeighbourSettings.Scale s : settings.scales) {
      scales.add(new NeighbourScale(s.shingle, s.block, settings.neighbours, settings.history,
          settings.tailHistory, settings.tailFraction));
    }
    this.correction = Math.log10(scales.size());
    this.recentSurprise = new double[Math.max(1, settings.onsetPoints)];
    this.onsetFactor = settings.onsetPoints > 0 ? settings.onsetFactor : 0;
    this.warmupPoints = settings.warmupPoints;
  }

  @Override
  public double update(long timeUnixNanos, double value) {
    double s = 0;
    strongest = null;
    for (NeighbourScale scale : scales) {
      double u = scale.update(value);
      if (u > s) {
        s = u;
        strongest = scale;
      }
    }
    strongestSurprise = s;
    s = Math.max(0, s - correction);
    double recentMax = 0;
    int held = (int) Math.min(points, recentSurprise.length);
    for (int i = 0; i < held; i++) {
      recentMax = Math.max(recentMax, recentSurprise[i]);
    }
    recentSurprise[(int) (points % recentSurprise.length)] = s;
    points++;
    if (s <= recentMax * onsetFactor || points <= warmupPoints) {
      return 0;
    }
    return s / (1 + s);
  }

  /**
   * The resolution that found the last point most surprising, its neighbour distance and the
   * tail probability of that distance (before the correction for several resolutions).
   */
  @Override
  public Map<String, Object> explain() {
    if (strongest == null) {
      return Map.of();
    }
    return Map.of("resolution", strongest.resolution(),
        "distance", strongest.lastDistance(),
        "probability", Math.pow(10, -strongestSurprise));
  }
}
