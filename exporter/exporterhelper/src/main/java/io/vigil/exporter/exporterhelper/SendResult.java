package io.vigil.exporter.exporterhelper;

/**
 * A successful send. The destination may still have rejected some items (OTLP
 * partial_success); those are counted as dropped, not retried.
 */
public final class SendResult {

  private static final SendResult ALL = new SendResult(0, "");

  private final long rejectedItems;
  private final String message;

  private SendResult(long rejectedItems, String message) {
    this.rejectedItems = rejectedItems;
    this.message = message;
  }

  public static SendResult accepted() {
    return ALL;
  }

  public static SendResult partial(long rejectedItems, String message) {
    return rejectedItems <= 0 && (message == null || message.isEmpty())
        ? ALL
        : new SendResult(rejectedItems, message == null ? "" : message);
  }

  public long rejectedItems() {
    return rejectedItems;
  }

  public String message() {
    return message;
  }
}
