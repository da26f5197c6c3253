package io.vigil.processor.probabilisticsampler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated tracestate headers: parsing either succeeds or throws
 * IllegalArgumentException (which the sampler turns into fail_closed handling), never anything
 * else; what parses serializes to something that parses to the same sampling fields.
 */
class TraceStateFuzzTest {
  private static final String ALPHABET = "ot=th:rv;,abcdef0123456789 @*/-_xyz=:;";
  private static final String[] SEEDS = {"ot=th:c", "ot=th:8;rv:9b8233f7e3a151", "vendor=x,ot=th:0",
      "a=1,b=2", "ot=th:e666;p:8;rv:00000000000001,congo=t61rcWkgMzE"};

  @Test
  void parseNeverFailsOtherThanWithIllegalArgument() {
    Random r = new Random(9);
    for (int c = 0; c < 20_000; c++) {
      String s;
      if (r.nextBoolean()) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
          b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        s = b.toString();
      } else {
        StringBuilder b = new StringBuilder(SEEDS[r.nextInt(SEEDS.length)]);
        for (int m = r.nextInt(3); m >= 0 && b.length() > 0; m--) {
          b.setCharAt(r.nextInt(b.length()), ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        s = b.toString();
      }
      TraceState ts;
      try {
        ts = TraceState.parse(s);
      } catch (IllegalArgumentException expected) {
        continue;
      }
      TraceState again = TraceState.parse(ts.serialize());
      assertThat(again.rvalue()).as(s).isEqualTo(ts.rvalue());
      assertThat(again.threshold()).as(s).isEqualTo(ts.threshold());
      assertThat(again.serialize()).as(s).isEqualTo(ts.serialize());
    }
  }
}
