package io.vigil.exporter.incidents.internal;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.exporter.incidents.Evidence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Gives evidence its trace origin, now and as its traces' spans keep arriving. Spans and anomaly
 * records travel in different pipelines, and a log anomaly can be filed before the span that
 * explains it was exported (the erroring callee's span ends before its caller's, but the SDKs
 * batch on their own schedules). So each piece of evidence is watched for {@code settle} after
 * it was filed, and its origin is set again whenever more spans change the answer.
 */
final class OriginWatch {

  /** Evidence whose traces are watched. */
  private static final class Watched {
    final String incidentId;
    final String key;
    final List<String> traceIds;
    final Instant until;
    String origin;

    Watched(String incidentId, Evidence e, Instant until) {
      this.incidentId = incidentId;
      this.key = e.key();
      this.traceIds = e.traceIds();
      this.until = until;
      this.origin = e.traceOrigin();
    }
  }

  /** An origin to store: {@code key} of incident {@code incidentId} now points to it. */
  record Update(String incidentId, String key, String origin) {}

  /** At most this many pieces of evidence watched; the oldest stops being watched first. */
  static final int MAX_WATCHED = 10_000;

  private final TraceErrors spans;
  private final Duration settle;
  private final Clock clock;
  private final LinkedHashMap<String, Watched> watched = new LinkedHashMap<>();
  private final Map<String, Set<String>> keysByTrace = new HashMap<>();

  OriginWatch(int maxSpans, Duration settle, Clock clock) {
    this.spans = new TraceErrors(maxSpans);
    this.settle = settle;
    this.clock = clock;
  }

  /** {@code e} with the origin its traces' spans point to so far. */
  Evidence annotate(Evidence e) {
    return e.traceIds().isEmpty() ? e : e.withTraceOrigin(spans.origin(e.traceIds()));
  }

  /** Watches the traces of {@code e}, filed under {@code incidentId}. */
  synchronized void watch(String incidentId, Evidence e) {
    if (e.traceIds().isEmpty()) {
      return;
    }
    expire();
    watched.put(e.key(), new Watched(incidentId, e, clock.instant().plus(settle)));
    for (String t : e.traceIds()) {
      keysByTrace.computeIfAbsent(t, x -> new LinkedHashSet<>()).add(e.key());
    }
    Iterator<Watched> oldest = watched.values().iterator();
    while (watched.size() > MAX_WATCHED && oldest.hasNext()) {
      Watched w = oldest.next();
      oldest.remove();
      forget(w);
    }
  }

  /** Indexes {@code batch}; returns the watched evidence whose origin it changed. */
  synchronized List<Update> spans(ExportTraceServiceRequest batch) {
    Set<String> touched = spans.add(batch);
    expire();
    List<Update> updates = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String t : touched) {
      for (String key : keysByTrace.getOrDefault(t, Set.of())) {
        Watched w = watched.get(key);
        if (w == null || !seen.add(key)) {
          continue;
        }
        String origin = spans.origin(w.traceIds);
        if (origin != null && !Objects.equals(origin, w.origin)) {
          w.origin = origin;
          updates.add(new Update(w.incidentId, w.key, origin));
        }
      }
    }
    return updates;
  }

  /** Traces the span index dropped to stay within {@code origin::max_spans}. */
  long evictedTraces() {
    return spans.evictedTraces();
  }

  private void expire() {
    Instant now = clock.instant();
    // Watched in order of filing and settle is one duration, so the expired ones are first.
    Iterator<Watched> it = watched.values().iterator();
    while (it.hasNext()) {
      Watched w = it.next();
      if (w.until.isAfter(now)) {
        break;
      }
      it.remove();
      forget(w);
    }
  }

  private void forget(Watched w) {
    for (String t : w.traceIds) {
      Set<String> keys = keysByTrace.get(t);
      if (keys != null) {
        keys.remove(w.key);
        if (keys.isEmpty()) {
          keysByTrace.remove(t);
        }
      }
    }
  }
}
