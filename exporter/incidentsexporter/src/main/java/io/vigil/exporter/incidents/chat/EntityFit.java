package io.vigil.exporter.incidents.chat;

import java.util.EnumMap;
import java.util.Map;

/**
 * Moves the votes for a look-up onto the look-up the message's entities make it: the list of
 * incidents with a service named is that service's status ("is payments having issues"), a
 * status with no service is the list ("any active problems?"), and either with an incident named
 * is that incident ("status of incident 15"). The neighbours vote on the words; the entities
 * settle which of these near-synonyms the words meant.
 */
final class EntityFit {

  private EntityFit() {}

  /**
   * The intents' shares of the votes, the look-ups' regrouped for the entities of {@code u} when
   * a look-up won; a look-up that lost keeps its votes apart, so they cannot outvote the winner
   * together ("anything similar before? 12").
   */
  static Map<Intent, Double> regroup(Map<Intent, Double> shares, Utterance u) {
    Intent winner = best(shares);
    if (winner != Intent.LIST && winner != Intent.STATUS) {
      return shares;
    }
    Intent lookUp = u.incident() != null ? Intent.SHOW
        : u.service() != null ? Intent.STATUS : Intent.LIST;
    Map<Intent, Double> out = new EnumMap<>(Intent.class);
    shares.forEach((i, s) -> out.merge(i == Intent.LIST || i == Intent.STATUS ? lookUp : i, s,
        Double::sum));
    return out;
  }

  /** The intent with the largest share, {@code UNKNOWN} when none has any. */
  static Intent best(Map<Intent, Double> shares) {
    return shares.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse(Intent.UNKNOWN);
  }
}
