package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.Evidence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weak signals waiting for an incident to join, and the ones that waited in vain (signals not
 * opened), kept for the API and counted. In memory: a restart forgets the held ones, which the
 * exporter counts and logs as expired when it stops. Not thread-safe; the tracker's lock guards
 * it.
 */
public final class HeldSignals {

  /** A weak signal held since {@code heldAt} (clock time), for {@code reason}. */
  public record Held(AnomalySignal signal, String reason, Instant heldAt) {
    public Evidence evidence() {
      return signal.evidence();
    }
  }

  /** A signal that expired without an incident: why it was weak, and when it expired. */
  public record NotOpened(AnomalySignal signal, String reason, Instant heldAt, Instant expiredAt) {}

  private final Map<String, Held> held = new LinkedHashMap<>();
  private final Deque<NotOpened> notOpened = new ArrayDeque<>();
  private final int maxKept;
  private long expired;

  HeldSignals(int maxKept) {
    this.maxKept = maxKept;
  }

  boolean holds(String key) {
    return held.containsKey(key);
  }

  /**
   * Holds {@code s}; returns the oldest held signal expired to make room (a detector gone wild
   * must not fill the heap), or null.
   */
  NotOpened hold(AnomalySignal s, String reason, Instant now) {
    held.put(s.evidence().key(), new Held(s, reason, now));
    if (held.size() > MAX_HELD) {
      Iterator<Held> oldest = held.values().iterator();
      Held h = oldest.next();
      oldest.remove();
      return keep(h, h.reason() + "; more than " + MAX_HELD + " signals held", now);
    }
    return null;
  }

  static final int MAX_HELD = 10_000;

  /**
   * Removes and returns the held signals of {@code service} or on one of {@code traces} whose
   * record time is at or after {@code notBefore}: they join the incident that just opened or
   * took evidence.
   */
  List<Held> take(String service, Collection<String> traces, Instant notBefore) {
    Set<String> traceSet = new HashSet<>(traces);
    List<Held> out = new ArrayList<>();
    for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
      Held h = it.next();
      Evidence e = h.evidence();
      boolean related = e.service().equals(service)
          || e.traceIds().stream().anyMatch(traceSet::contains);
      if (related && !e.windowEnd().isBefore(notBefore)) {
        out.add(h);
        it.remove();
      }
    }
    out.sort(Comparator.comparing((Held h) -> h.evidence().windowStart()));
    return out;
  }

  /**
   * The held signals of {@code service}, removed, when they add up: at least {@code minSignals}
   * distinct signatures whose record times span at least {@code persist}; else none, and they
   * stay held.
   */
  List<Held> takeIfTheyAddUp(String service, int minSignals, Duration persist) {
    List<Held> mine = held.values().stream()
        .filter(h -> h.evidence().service().equals(service)).toList();
    long signatures = mine.stream().map(h -> h.evidence().signature()).distinct().count();
    if (signatures < minSignals || mine.isEmpty()) {
      return List.of();
    }
    Instant first = mine.stream().map(h -> h.evidence().windowEnd())
        .min(Comparator.naturalOrder()).orElseThrow();
    Instant last = mine.stream().map(h -> h.evidence().windowEnd())
        .max(Comparator.naturalOrder()).orElseThrow();
    if (Duration.between(first, last).compareTo(persist) < 0) {
      return List.of();
    }
    mine.forEach(h -> held.remove(h.evidence().key()));
    List<Held> out = new ArrayList<>(mine);
    out.sort(Comparator.comparing((Held h) -> h.evidence().windowStart()));
    return out;
  }

  /** Expires the signals held longer than {@code hold} at {@code now}; returns them. */
  List<NotOpened> expire(Instant now, Duration hold) {
    List<NotOpened> out = new ArrayList<>();
    for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (!h.heldAt().plus(hold).isAfter(now)) {
        it.remove();
        out.add(keep(h, h.reason(), now));
      }
    }
    return out;
  }

  /** Expires every held signal (the exporter stops); returns them. */
  List<NotOpened> expireAll(Instant now, String why) {
    List<NotOpened> out = new ArrayList<>();
    for (Held h : held.values()) {
      out.add(keep(h, h.reason() + "; " + why, now));
    }
    held.clear();
    return out;
  }

  private NotOpened keep(Held h, String reason, Instant now) {
    NotOpened n = new NotOpened(h.signal(), reason, h.heldAt(), now);
    expired++;
    if (maxKept > 0) {
      notOpened.addLast(n);
      while (notOpened.size() > maxKept) {
        notOpened.removeFirst();
      }
    }
    return n;
  }

  List<Held> held() {
    return List.copyOf(held.values());
  }

  /** The latest signals not opened, newest first, at most {@code limit}. */
  List<NotOpened> notOpened(int limit) {
    List<NotOpened> out = new ArrayList<>();
    for (Iterator<NotOpened> it = notOpened.descendingIterator(); it.hasNext()
        && out.size() < limit; ) {
      out.add(it.next());
    }
    return out;
  }

  /** All signals that expired without an incident since start, kept or not. */
  long expiredCount() {
    return expired;
  }
}
