package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.Signal;
import java.util.Locale;

/** {@code sending_queue::sizer}: the unit {@code queue_size} is measured in, as the Collector's. */
public enum QueueSizer {
  /** One per batch. */
  REQUESTS("batches"),
  /** Spans, data points, log records. */
  ITEMS(null),
  /** The batch's serialized protobuf size. */
  BYTES("bytes");

  private final String unit;

  QueueSizer(String unit) {
    this.unit = unit;
  }

  /** The config spelling: {@code requests}, {@code items}, {@code bytes}. */
  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What the queue holds of {@code batch}, in this unit. */
  public <T extends Message> long sizeOf(Signal<T> signal, T batch) {
    return switch (this) {
      case REQUESTS -> 1;
      case ITEMS -> signal.itemCount(batch);
      case BYTES -> batch.getSerializedSize();
    };
  }

  /** How an amount in this unit reads in a log or error message: "6 spans", "3 batches". */
  public String describe(Signal<?> signal, long amount) {
    return amount + " " + (unit == null ? signal.itemName() : unit);
  }

  /** Null when {@code value} is not a sizer. */
  static QueueSizer parse(String value) {
    if (value == null) {
      return null;
    }
    for (QueueSizer s : values()) {
      if (s.spelling().equals(value)) {
        return s;
      }
    }
    return null;
  }
}
