package io.vigil.processor.tailsampling;

import com.google.protobuf.ByteString;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace IDs of recently decided traces, kept and dropped in separate LRU sets, so spans
 * arriving after their trace's decision follow it instead of starting a trace of their own.
 * Holds IDs, not spans: about 100 bytes per entry. Guarded by the processor's lock.
 */
final class DecisionCache {

  private final Lru sampled;
  private final Lru notSampled;

  DecisionCache(int sampledSize, int notSampledSize) {
    this.sampled = new Lru(sampledSize);
    this.notSampled = new Lru(notSampledSize);
  }

  /** TRUE kept, FALSE dropped, null unknown (never decided, or forgotten). */
  Boolean get(ByteString traceId) {
    if (sampled.get(traceId) != null) {
      return Boolean.TRUE;
    }
    if (notSampled.get(traceId) != null) {
      return Boolean.FALSE;
    }
    return null;
  }

  void put(ByteString traceId, boolean kept) {
    (kept ? sampled : notSampled).put(traceId, Boolean.TRUE);
  }

  int size() {
    return sampled.size() + notSampled.size();
  }

  private static final class Lru extends LinkedHashMap<ByteString, Boolean> {
    private static final long serialVersionUID = 1L;
    private final int max;

    Lru(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
      return size() > max;
    }
  }
}
