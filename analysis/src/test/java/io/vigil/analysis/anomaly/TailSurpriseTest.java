package io.vigil.analysis.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TailSurpriseTest {

  @Test
  void theBulkIsTheEmpiricalShareAtOrAboveOfTheLastValuesOnly() {
    int capacity = 300;
    TailSurprise t = new TailSurprise(capacity, 0.02);
    ArrayDeque<Double> last = new ArrayDeque<>();
    Random r = new Random(3);
    for (int i = 0; i < 2000; i++) {
      // Rounded, so ties are common; the level moves, so evicting old values matters.
      double x = Math.round(r.nextGaussian() * 5) + (i / 700) * 3;
      if (last.size() >= 50) {
        long atOrAbove = last.stream().filter(v -> v >= x).count();
        double[] sorted = last.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int tail = Math.max(5, (int) Math.round(0.02 * sorted.length));
        if (x <= sorted[sorted.length - tail - 1]) {
          assertThat(t.surprise(x)).as("point %d", i).isCloseTo(
              -Math.log10(Math.max(atOrAbove, 1) / (double) sorted.length), within(1e-12));
        } else {
          assertThat(t.surprise(x)).isGreaterThanOrEqualTo(
              -Math.log10((double) tail / sorted.length) - 1e-12);
        }
      } else {
        assertThat(t.surprise(x)).isZero();
      }
      t.add(x);
      last.addLast(x);
      if (last.size() > capacity) {
        last.removeFirst();
      }
    }
  }

  @Test
  void beyondTheBulkTheParetoTailKeepsOrderAndAValuePastALightTailsEndGetsTheFloor() {
    TailSurprise t = new TailSurprise(1000, 0.02);
    Random r = new Random(4);
    for (int i = 0; i < 1000; i++) {
      t.add(r.nextDouble()); // uniform: a light tail that ends near 1
    }
    double a = t.surprise(0.995);
    double b = t.surprise(0.999);
    assertThat(b).isGreaterThanOrEqualTo(a);
    assertThat(t.surprise(5)).isEqualTo(-Math.log10(TailSurprise.FLOOR));
    TailSurprise heavy = new TailSurprise(1000, 0.02);
    for (int i = 0; i < 1000; i++) {
      heavy.add(1 / (1e-3 + r.nextDouble())); // Pareto-like: no end
    }
    double far = heavy.surprise(5000);
    assertThat(far).isGreaterThan(heavy.surprise(2000)).isLessThan(
        -Math.log10(TailSurprise.FLOOR));
  }
}
