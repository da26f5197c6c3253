package io.vigil.eval.nab;

import java.util.ArrayList;
import java.util.List;

/**
 * The two fixed halves of the NAB series for the two-fold protocol: settings are chosen on one
 * half and scored on the other. Fixed before any result was looked at: within each NAB folder,
 * the files sorted by name go alternately to fold A (1st, 3rd, ...) and fold B (2nd, 4th, ...),
 * so each half holds every kind of series (artificial, ad exchange, known cause, traffic).
 */
public final class NabFolds {

  private NabFolds() {}

  /** Fold A and fold B, each in key order. */
  public static List<List<String>> split(List<String> keys) {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    String folder = null;
    int index = 0;
    for (String key : keys.stream().sorted().toList()) {
      String f = key.substring(0, Math.max(0, key.indexOf('/')));
      if (!f.equals(folder)) {
        folder = f;
        index = 0;
      }
      (index++ % 2 == 0 ? a : b).add(key);
    }
    return List.of(List.copyOf(a), List.copyOf(b));
  }
}
