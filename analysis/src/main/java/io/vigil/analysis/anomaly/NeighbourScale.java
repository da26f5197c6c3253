package io.vigil.analysis.anomaly;

/**
 * One resolution of the neighbour detector: the series averaged over blocks of {@code block}
 * points, and for each new block the distance from the latest {@code shingle} blocks to their
 * k-th nearest match in the series' own recent past. The distance is big when the recent shape
 * has no close precedent; the k-th rather than the nearest, so one earlier incident of the same
 * shape does not make a second one look normal. Matches must lie at least half a shingle apart,
 * or the k neighbours would all be one past episode shifted by a point.
 */
final class NeighbourScale {

  private final int shingle;
  private final int block;
  private final int neighbours;
  private final int history;
  private final double[] values;
  private final int exclusion;
  /** The nearest shapes of the current search, ascending, and where they end. */
  private final int kept;
  private final double[] nearest;
  private final long[] nearestAt;
  private final TailSurprise surprise;
  private double blockSum;
  private int blockPoints;
  private long blocks;
  private double lastDistance = Double.NaN;

  /**
   * @param historyPoints raw points of history searched for matches
   * @param tailPoints raw points of past distances a new distance is judged against
   */
  NeighbourScale(int shingle, int block, int neighbours, int historyPoints, int tailPoints,
      double tailFraction) {
    this.shingle = shingle;
    this.block = block;
    this.neighbours = neighbours;
    this.history = Math.max(historyPoints / block, 4 * shingle * neighbours);
    this.values = new double[history + 2 * shingle + 10];
    this.exclusion = Math.max(1, shingle / 2);
    this.kept = (neighbours - 1) * (2 * exclusion + 1) + 1;
    this.nearest = new double[kept];
    this.nearestAt = new long[kept];
    this.surprise = new TailSurprise(Math.max(tailPoints / block, 200), tailFraction);
  }

  /** The surprise of the newest block's distance, or -1 when this point completes no reading. */
  double update(double x) {
    blockSum += x;
    if (++blockPoints < block) {
      return -1;
    }
    values[(int) (blocks % values.length)] = blockSum / block;
    blocks++;
    blockSum = 0;
    blockPoints = 0;
    double d = kthNearest();
    if (Double.isNaN(d)) {
      return -1;
    }
    lastDistance = d;
    double s = surprise.surprise(d);
    surprise.add(d);
    return s;
  }

  /** The distance of the latest reading, in the series' units (RMS over the shape). */
  double lastDistance() {
    return lastDistance;
  }

  /** "shingle x block", e.g. "32x8": a shape of 32 averages of 8 points. */
  String resolution() {
    return shingle + "x" + block;
  }

  private double value(long i) {
    return values[(int) (i % values.length)];
  }

  /** Root-mean-square distance to the k-th nearest earlier shingle; NaN while too few exist. */
  private double kthNearest() {
    if (blocks < 3L * shingle) {
      return Double.NaN;
    }
    long end = blocks - 1;
    long first = Math.max(shingle - 1, end - history);
    long last = end - shingle; // shingles overlapping the newest one would match themselves
    int candidates = (int) (last - first + 1);
    if (candidates < neighbours * (shingle + 1)) {
      return Double.NaN;
    }
    // The greedy pick below (nearest first, then the nearest outside the earlier picks'
    // exclusion zones) only ever looks at the `kept` nearest shapes: each pick excludes at
    // most 2 * exclusion + 1. So one pass keeps those, abandoning a sum once it cannot get in.
    int size = 0;
    for (long j = first; j <= last; j++) {
      double bound = size == kept ? nearest[size - 1] : Double.MAX_VALUE;
      double sum = 0;
      for (int k = 0; k < shingle && sum < bound; k++) {
        double e = value(end - k) - value(j - k);
        sum += e * e;
      }
      if (!(sum < bound)) {
        continue;
      }
      int at = size == kept ? size - 1 : size++;
      while (at > 0 && nearest[at - 1] > sum) {
        nearest[at] = nearest[at - 1];
        nearestAt[at] = nearestAt[at - 1];
        at--;
      }
      nearest[at] = sum;
      nearestAt[at] = j;
    }
    double kth = Double.NaN;
    for (int r = 0; r < neighbours; r++) {
      int pick = 0;
      while (pick < size && nearestAt[pick] < 0) {
        pick++;
      }
      if (pick == size) {
        return Double.NaN;
      }
      kth = nearest[pick];
      long at = nearestAt[pick];
      for (int i = 0; i < size; i++) {
        if (nearestAt[i] >= 0 && Math.abs(nearestAt[i] - at) <= exclusion) {
          nearestAt[i] = -1;
        }
      }
    }
    return Math.sqrt(kth / shingle);
  }
}
