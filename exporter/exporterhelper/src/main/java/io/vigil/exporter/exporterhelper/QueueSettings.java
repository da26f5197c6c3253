package io.vigil.exporter.exporterhelper;

/** {@code sending_queue}: the bounded in-memory queue in front of an exporter. */
public class QueueSettings {
  public boolean enabled = true;
  /** Threads sending from the queue at once. */
  public int numConsumers = 10;
  /** Capacity, in batches. */
  public int queueSize = 1000;
  /**
   * Capacity in items (spans, points, log records) as well; 0 = batches only. Batches vary a
   * lot in size, so this is what bounds the memory a queue can hold.
   */
  public long maxItems = 0;
}
