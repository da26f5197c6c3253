package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {

  @Test
  void neverHandsOutOnePortTwice() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      assertThat(seen.add(FreePort.pick())).as("pick %d", i).isTrue();
    }
  }
}
