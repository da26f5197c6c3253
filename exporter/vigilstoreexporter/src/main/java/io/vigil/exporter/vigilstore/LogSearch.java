package io.vigil.exporter.vigilstore;

/**
 * What a log search asks for; empty strings and 0 mean "any". Results come newest first, at
 * most {@code limit} of them.
 *
 * @param minSeverity the lowest OTLP severity number wanted (9 info, 13 warn, 17 error)
 * @param text words that must all occur in the body
 */
public record LogSearch(
    TimeRange range,
    String service,
    int minSeverity,
    String text,
    String traceId,
    String templateId,
    int limit) {

  public LogSearch {
    service = service == null ? "" : service;
    text = text == null ? "" : text;
    traceId = traceId == null ? "" : traceId.toLowerCase(java.util.Locale.ROOT);
    templateId = templateId == null ? "" : templateId;
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
  }

  /** Every record in the range, newest first, up to {@code limit}. */
  public static LogSearch in(TimeRange range, int limit) {
    return new LogSearch(range, "", 0, "", "", "", limit);
  }

  public LogSearch service(String s) {
    return new LogSearch(range, s, minSeverity, text, traceId, templateId, limit);
  }

  public LogSearch minSeverity(int s) {
    return new LogSearch(range, service, s, text, traceId, templateId, limit);
  }

  public LogSearch text(String t) {
    return new LogSearch(range, service, minSeverity, t, traceId, templateId, limit);
  }

  public LogSearch traceId(String t) {
    return new LogSearch(range, service, minSeverity, text, t, templateId, limit);
  }

  public LogSearch templateId(String t) {
    return new LogSearch(range, service, minSeverity, text, traceId, t, limit);
  }
}
