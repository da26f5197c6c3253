package io.vigil.eval.loghub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupingAccuracyTest {

  @Test
  void aLineCountsOnlyWhenItsWholeGroupIsExactlyItsEvent() {
    List<String> truth = List.of("E1", "E1", "E2", "E2", "E3");
    assertThat(GroupingAccuracy.of(List.of(1, 1, 2, 2, 3), truth)).isEqualTo(1.0);
    // E2 split in two: its two lines are wrong, the rest right.
    assertThat(GroupingAccuracy.of(List.of(1, 1, 2, 4, 3), truth)).isEqualTo(3 / 5.0);
    // E2 and E3 merged: three lines wrong.
    assertThat(GroupingAccuracy.of(List.of(1, 1, 2, 2, 2), truth)).isEqualTo(2 / 5.0);
    // Group labels need not match event names.
    assertThat(GroupingAccuracy.of(List.of("x", "x", "y", "y", "z"), truth)).isEqualTo(1.0);
  }

  @Test
  void mismatchedLengthsAreAnError() {
    assertThatThrownBy(() -> GroupingAccuracy.of(List.of(1), List.of("a", "b")))
        .hasMessageContaining("predicted 1 lines, truth has 2");
  }
}
