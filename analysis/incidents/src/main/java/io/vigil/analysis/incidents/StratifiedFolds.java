package io.vigil.analysis.incidents;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Stratified k-fold assignment with a fixed seed: each class's items are shuffled and dealt to
 * the folds in turn, so every fold has about the same class mix and the split is reproducible.
 */
public final class StratifiedFolds {

  private StratifiedFolds() {}

  /** The fold (0..k-1) of each item, given each item's label. */
  public static int[] assign(List<String> labels, int k, long seed) {
    Map<String, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.computeIfAbsent(labels.get(i), l -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    int[] fold = new int[labels.size()];
    int next = 0; // continue dealing where the last class stopped, so small classes spread out
    for (List<Integer> members : byLabel.values()) {
      Collections.shuffle(members, random);
      for (int i : members) {
        fold[i] = next;
        next = (next + 1) % k;
      }
    }
    return fold;
  }
}
