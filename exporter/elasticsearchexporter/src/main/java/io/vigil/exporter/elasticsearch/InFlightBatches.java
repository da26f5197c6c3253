package io.vigil.exporter.elasticsearch;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link PendingDocuments} of each batch being delivered, keyed by the batch object
 * itself: the sending queue hands the same object to every attempt of one delivery, so an
 * attempt finds what earlier attempts settled. Keys are weak and compared by identity, so a
 * batch the queue gave up on (retries exhausted, shutdown) leaves no entry behind.
 */
final class InFlightBatches {

  private final Map<Key, PendingDocuments> byBatch = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  PendingDocuments get(Object batch, Supplier<PendingDocuments> create) {
    expunge();
    return byBatch.computeIfAbsent(new Key(batch, collected), k -> create.get());
  }

  void remove(Object batch) {
    byBatch.remove(new Key(batch, null));
  }

  int size() {
    expunge();
    return byBatch.size();
  }

  private void expunge() {
    for (Reference<?> r; (r = collected.poll()) != null; ) {
      byBatch.remove(r);
    }
  }

  /** A weak reference equal to another for the same referent, by identity. */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key k)) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == k.get();
    }
  }
}
