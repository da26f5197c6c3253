package io.vigil.exporter.vigilstore;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vigil.testing.TestData;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Twenty requests, one a minute from {@link #START}: storefront (server, 10, 20, ... 200 ms)
 * calls orders (server, half as long), which calls payments (server, a quarter). Requests 6 and
 * 13 fail in payments, which logs an error; every request logs "Order N placed" in orders.
 * Known answers (IDs, counts, percentiles, exemplars) are computed here for the tests.
 */
final class ShopTraffic {

  static final Instant START = Instant.parse("2026-11-27T10:05:00Z");
  static final int REQUESTS = 20;
  static final int[] FAILING = {6, 13};
  static final String PLACED_TEMPLATE_ID = "a1a1a1a1a1a1a1a1";
  static final String DECLINED_TEMPLATE_ID = "d2d2d2d2d2d2d2d2";

  static long startNanos(int request) {
    return TimeRange.nanos(START) + request * 60_000_000_000L;
  }

  /** Storefront's duration of request i in ms: the slowest of its trace. */
  static long storefrontMs(int request) {
    return 10L * (request + 1);
  }

  static boolean failing(int request) {
    return request == FAILING[0] || request == FAILING[1];
  }

  static String traceId(int request) {
    return String.format("%032x", 0xabc000L + request);
  }

  static String spanId(int request, int hop) {
    return String.format("%016x", 0x5000L + request * 10L + hop);
  }

  /** The 20 minutes of traffic. */
  static TimeRange range() {
    return new TimeRange(startNanos(0), startNanos(REQUESTS));
  }

  static ExportTraceServiceRequest traces() {
    ScopeSpans.Builder storefront = ScopeSpans.newBuilder();
    ScopeSpans.Builder orders = ScopeSpans.newBuilder();
    ScopeSpans.Builder payments = ScopeSpans.newBuilder();
    for (int i = 0; i < REQUESTS; i++) {
      long start = startNanos(i);
      long ms = storefrontMs(i) * 1_000_000L;
      storefront.addSpans(span(i, 0, -1, "GET /checkout", Span.SpanKind.SPAN_KIND_SERVER, start,
          ms, false));
      storefront.addSpans(span(i, 1, 0, "POST", Span.SpanKind.SPAN_KIND_CLIENT, start + 1000,
          ms / 2, false));
      orders.addSpans(span(i, 2, 1, "POST /orders", Span.SpanKind.SPAN_KIND_SERVER,
          start + 2000, ms / 2, false));
      orders.addSpans(span(i, 3, 2, "POST", Span.SpanKind.SPAN_KIND_CLIENT, start + 3000,
          ms / 4, failing(i)));
      payments.addSpans(span(i, 4, 3, "POST /payments", Span.SpanKind.SPAN_KIND_SERVER,
          start + 4000, ms / 4, failing(i)));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(TestData.resource("storefront"))
            .addScopeSpans(storefront))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(TestData.resource("orders"))
            .addScopeSpans(orders))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(TestData.resource("payments"))
            .addScopeSpans(payments))
        .build();
  }

  private static Span span(int request, int hop, int parentHop, String name, Span.SpanKind kind,
      long start, long duration, boolean error) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(id(traceId(request)))
        .setSpanId(id(spanId(request, hop)))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + duration)
        .addAttributes(TestData.str("http.request.method", name.startsWith("GET") ? "GET" : "POST"));
    if (parentHop >= 0) {
      s.setParentSpanId(id(spanId(request, parentHop)));
    }
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
          .setMessage("card declined"));
      s.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(start + 1)
          .addAttributes(TestData.str("exception.type", "CardDeclinedException")));
    }
    return s.build();
  }

  static ExportLogsServiceRequest logs() {
    ScopeLogs.Builder orders = ScopeLogs.newBuilder();
    ScopeLogs.Builder payments = ScopeLogs.newBuilder();
    for (int i = 0; i < REQUESTS; i++) {
      orders.addLogRecords(log(i, 2, SeverityNumber.SEVERITY_NUMBER_INFO, "INFO",
          "Order " + (1000 + i) + " placed for user u" + i, PLACED_TEMPLATE_ID,
          "Order <*> placed for user <*>"));
      if (failing(i)) {
        payments.addLogRecords(log(i, 4, SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
            "Payment declined for order " + (1000 + i) + ": card expired", DECLINED_TEMPLATE_ID,
            "Payment declined for order <*>: card expired"));
      }
    }
    // One line outside any trace, without a template: a startup message.
    payments.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(startNanos(0) - 1_000_000)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("WARN")
        .setBody(AnyValue.newBuilder().setStringValue("Connection pool warming up slowly")));
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(TestData.resource("orders"))
            .addScopeLogs(orders))
        .addResourceLogs(ResourceLogs.newBuilder().setResource(TestData.resource("payments"))
            .addScopeLogs(payments))
        .build();
  }

  private static LogRecord log(int request, int hop, SeverityNumber severity, String text,
      String body, String templateId, String template) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(startNanos(request) + 5000 + hop)
        .setSeverityNumber(severity)
        .setSeverityText(text)
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .setTraceId(id(traceId(request)))
        .setSpanId(id(spanId(request, hop)))
        .addAttributes(TestData.str("log.template.id", templateId))
        .addAttributes(TestData.str("log.template", template))
        .addAttributes(TestData.str("thread.name", "http-nio-8080-exec-" + request))
        .build();
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private ShopTraffic() {}
}
