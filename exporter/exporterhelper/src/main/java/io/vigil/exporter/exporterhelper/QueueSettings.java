package io.vigil.exporter.exporterhelper;

/**
 * {@code sending_queue}: the bounded queue in front of an exporter, in memory or (with
 * {@link #storage}) a write-ahead log on a {@code file_storage} extension.
 */
public class QueueSettings {
  public boolean enabled = true;
  /** Threads sending from the queue at once. */
  public int numConsumers = 10;
  /** Capacity, in the unit {@link #sizer} names (the Collector's spelling). */
  public int queueSize = 1000;
  /**
   * What {@link #queueSize} counts: {@code requests} (batches, the default), {@code items}
   * (spans, points, log records) or {@code bytes} (the batches' protobuf size). Batches vary a
   * lot in size, so items or bytes is what bounds the memory a queue can hold.
   */
  public String sizer = "requests";
  /** When the queue is full: false refuses the batch (retryable), true lets the caller wait. */
  public boolean blockOnOverflow = false;
  /**
   * Removed: Vigil's former spelling of an item bound beside {@code queue_size}. Kept only so
   * that a config still carrying it fails with a message naming the Collector's spelling
   * ({@code sizer: items} with {@code queue_size}) rather than a bare "unknown key".
   */
  public Long maxItems;
  /**
   * The ID of a {@code file_storage} extension ({@code file_storage}, {@code file_storage/NAME})
   * that makes this a durable queue: batches are appended to a write-ahead log before the
   * caller is acknowledged, and stay there until the destination accepted them. Null: in memory.
   */
  public String storage;
  /** Batching inside the queue (in memory or durable); null sends each queued request alone. */
  public BatchSettings batch;
  /**
   * False (the default): the caller is answered once the request is queued (for the durable
   * queue: on disk). True: only once it was sent, or failed for good, so a client hears of
   * what happened to its data at the cost of holding its request open meanwhile.
   */
  public boolean waitForResult = false;

  /** The parsed {@link #sizer}; call after validation. */
  public QueueSizer queueSizer() {
    return QueueSizer.parse(sizer);
  }
}
