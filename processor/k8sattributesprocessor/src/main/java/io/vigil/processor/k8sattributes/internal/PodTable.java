package io.vigil.processor.k8sattributes.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods the informer reported, found by association key in memory. A deleted pod stays
 * findable for a grace period (the Collector keeps it 2 minutes), so telemetry it sent just
 * before it went, still queued in an SDK or an agent, gets its attributes; a new pod that takes
 * over one of its keys (a reused IP) replaces it at once.
 */
public final class PodTable {

  private static final class Entry {
    final PodRecord pod;
    final List<String> keys;
    volatile long deletedAtNanos;
    volatile boolean deleted;

    Entry(PodRecord pod, List<String> keys) {
      this.pod = pod;
      this.keys = keys;
    }
  }

  private final Map<String, Entry> byKey = new ConcurrentHashMap<>();
  private final Map<String, Entry> byUid = new ConcurrentHashMap<>();
  private final Association association;

  public PodTable(Association association) {
    this.association = association;
  }

  /** Adds or replaces a pod (an informer add or update). */
  public synchronized void put(PodRecord pod) {
    Entry e = new Entry(pod, List.copyOf(association.keysOf(pod)));
    Entry old = byUid.put(pod.uid(), e);
    if (old != null) {
      for (String k : old.keys) {
        byKey.remove(k, old);
      }
    }
    for (String k : e.keys) {
      byKey.put(k, e);
    }
  }

  /** Marks a pod deleted: still found until {@link #sweep} runs after the grace period. */
  public void markDeleted(String uid, long nowNanos) {
    Entry e = byUid.get(uid);
    if (e != null) {
      e.deletedAtNanos = nowNanos;
      e.deleted = true;
    }
  }

  /** Forgets pods deleted at least {@code graceNanos} before {@code nowNanos}. */
  public synchronized int sweep(long nowNanos, long graceNanos) {
    int removed = 0;
    for (Entry e : byUid.values()) {
      if (e.deleted && nowNanos - e.deletedAtNanos >= graceNanos) {
        byUid.remove(e.pod.uid(), e);
        for (String k : e.keys) {
          byKey.remove(k, e);
        }
        removed++;
      }
    }
    return removed;
  }

  /** The pod found by {@code key}, or null. */
  public PodRecord get(String key) {
    Entry e = byKey.get(key);
    return e == null ? null : e.pod;
  }

  /** Pods held, deleted ones in their grace period included. */
  public int size() {
    return byUid.size();
  }
}
