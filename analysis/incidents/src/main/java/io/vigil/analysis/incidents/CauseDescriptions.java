package io.vigil.analysis.incidents;

import java.util.Arrays;
import java.util.List;

/**
 * One sentence per cause class, written from the taxonomy's definitions (docs/evaluation.md,
 * "Cause taxonomy") and not from any incident: embedded, they are class prototypes, a zero-shot
 * prior that needs no training example. A label of a user's own taxonomy is its own description.
 */
final class CauseDescriptions {

  private CauseDescriptions() {}

  static String of(String label) {
    return Arrays.stream(Cause.values()).filter(c -> c.label().equals(label)).findFirst()
        .map(CauseDescriptions::of).orElse(label);
  }

  static List<String> of(List<String> labels) {
    return labels.stream().map(CauseDescriptions::of).toList();
  }

  private static String of(Cause cause) {
    return switch (cause) {
      case CONFIG -> "A configuration change or misconfiguration: a wrong setting, parameter,"
          + " quota, access rule or route pushed by an operator, or servers removed by mistake.";
      case CODE_CHANGE -> "A code change: a new software release, update or deployment"
          + " introduced a bug or an incompatibility.";
      case OVERLOAD -> "Overload: a surge of traffic or requests exhausted capacity, memory or"
          + " CPU, and the service was saturated.";
      case OTHER_SOFTWARE_BUG -> "A latent software bug: a defect, race condition or failed"
          + " exception handling in existing code made a component fail.";
      case HARDWARE -> "A hardware failure: power outage, failed servers, disks or cooling in a"
          + " datacenter.";
      case NETWORK -> "A network failure: network devices, links, fiber cuts, routing or"
          + " connectivity between datacenters failed.";
      case THIRD_PARTY -> "A third-party failure: an external provider, vendor or upstream"
          + " dependency outside the company failed.";
    };
  }
}
