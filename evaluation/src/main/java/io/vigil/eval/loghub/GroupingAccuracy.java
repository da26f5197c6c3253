package io.vigil.eval.loghub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouping accuracy as the Loghub benchmark defines it: a line is parsed correctly only when
 * the set of lines in its predicted group equals the set of lines sharing its true event.
 */
public final class GroupingAccuracy {

  private GroupingAccuracy() {}

  /** Both lists are indexed by line; entries name a group, compared by equality. */
  public static <P, T> double of(List<P> predicted, List<T> truth) {
    if (predicted.size() != truth.size()) {
      throw new IllegalArgumentException("predicted " + predicted.size() + " lines, truth has "
          + truth.size());
    }
    if (truth.isEmpty()) {
      return 1.0;
    }
    Map<P, List<Integer>> groups = new HashMap<>();
    for (int i = 0; i < predicted.size(); i++) {
      groups.computeIfAbsent(predicted.get(i), k -> new ArrayList<>()).add(i);
    }
    Map<T, Integer> truthSizes = new HashMap<>();
    for (T t : truth) {
      truthSizes.merge(t, 1, Integer::sum);
    }
    int correct = 0;
    for (List<Integer> group : groups.values()) {
      T event = truth.get(group.get(0));
      boolean pure = group.stream().allMatch(i -> truth.get(i).equals(event));
      if (pure && truthSizes.get(event) == group.size()) {
        correct += group.size();
      }
    }
    return (double) correct / truth.size();
  }
}
