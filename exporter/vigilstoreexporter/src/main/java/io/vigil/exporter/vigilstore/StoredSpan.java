package io.vigil.exporter.vigilstore;

import java.util.List;
import java.util.Map;

/**
 * A span as the store keeps it and the API returns it. IDs are lower-case hex; times are Unix
 * nanoseconds; {@code status} is {@code ok}, {@code error} or {@code unset}.
 */
public record StoredSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String service,
    String name,
    String kind,
    String status,
    String statusMessage,
    long startNanos,
    long endNanos,
    Map<String, Object> attributes,
    List<Event> events) {

  public long durationNanos() {
    return Math.max(0, endNanos - startNanos);
  }

  /** Whether the span counts as a failed request. */
  public boolean failed() {
    return "error".equals(status);
  }

  /**
   * Whether the span is where a request entered its service (server, consumer, or a root):
   * the spans request rates, error rates and latencies are computed from.
   */
  public boolean entry() {
    return kind.equals("server") || kind.equals("consumer") || parentSpanId.isEmpty();
  }

  /** A span event (an exception, a retry, ...). */
  public record Event(String name, long timeNanos, Map<String, Object> attributes) {}
}
