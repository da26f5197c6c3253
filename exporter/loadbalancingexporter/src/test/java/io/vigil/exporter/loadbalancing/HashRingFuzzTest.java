package io.vigil.exporter.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random keys (any length, empty too) and backend lists: a key always gets a backend of
 * the list, the same one whatever the list's order, a fair share each, and removing one
 * backend moves only the keys it had.
 */
class HashRingFuzzTest {

  @Test
  void routingIsTotalOrderFreeFairAndStable() {
    Random rnd = new Random(4317);
    List<String> backends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      backends.add("sampler-" + i + ":4317");
    }
    HashRing ring = new HashRing(backends);
    List<String> shuffled = new ArrayList<>(backends);
    Collections.shuffle(shuffled, rnd);
    HashRing same = new HashRing(shuffled);
    List<String> four = new ArrayList<>(backends.subList(0, 4));
    HashRing smaller = new HashRing(four);
    Map<String, Integer> share = new HashMap<>();
    int moved = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] key = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(3) : 16];
      rnd.nextBytes(key);
      String b = ring.backendFor(key);
      assertThat(backends).contains(b);
      assertThat(same.backendFor(key)).isEqualTo(b);
      share.merge(b, 1, Integer::sum);
      String after = smaller.backendFor(key);
      if (!b.equals("sampler-4:4317")) {
        assertThat(after).as("a key of a remaining backend stays").isEqualTo(b);
      } else {
        moved++;
      }
    }
    assertThat(share.values()).allMatch(n -> n > 20_000 / 5 / 2 && n < 20_000 / 5 * 2);
    assertThat(moved).isEqualTo(share.get("sampler-4:4317"));
  }
}
