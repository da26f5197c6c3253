package io.vigil.receiver.otlp.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Removes items no backend can index: spans whose trace or span ID is not 16 / 8 bytes, and log
 * records with an ID of the wrong length. They are reported to the client through OTLP's
 * partial_success instead of failing the whole request.
 */
public final class InvalidItems {

  /** The request without invalid items, how many were removed, and why. */
  public static final class Result<T> {
    public final T request;
    public final long rejected;
    public final String message;

    Result(T request, long rejected, String message) {
      this.request = request;
      this.rejected = rejected;
      this.message = message;
    }
  }

  private InvalidItems() {}

  @SuppressWarnings("unchecked")
  public static <T extends Message> Result<T> remove(T request) {
    if (request instanceof ExportTraceServiceRequest) {
      return (Result<T>) spans((ExportTraceServiceRequest) request);
    }
    if (request instanceof ExportLogsServiceRequest) {
      return (Result<T>) logs((ExportLogsServiceRequest) request);
    }
    return new Result<>(request, 0, "");
  }

  private static boolean badSpan(Span s) {
    return s.getTraceId().size() != 16 || s.getSpanId().size() != 8
        || !(s.getParentSpanId().isEmpty() || s.getParentSpanId().size() == 8);
  }

  private static boolean badId(ByteString id, int size) {
    return !id.isEmpty() && id.size() != size;
  }

  private static boolean badLog(LogRecord r) {
    return badId(r.getTraceId(), 16) || badId(r.getSpanId(), 8);
  }

  private static Result<ExportTraceServiceRequest> spans(ExportTraceServiceRequest r) {
    boolean any = r.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .anyMatch(InvalidItems::badSpan);
    if (!any) {
      return new Result<>(r, 0, "");
    }
    long[] rejected = {0};
    ExportTraceServiceRequest.Builder b = r.toBuilder();
    b.getResourceSpansBuilderList().forEach(rs -> rs.getScopeSpansBuilderList().forEach(ss -> {
      var kept = ss.getSpansList().stream().filter(s -> !badSpan(s)).toList();
      rejected[0] += ss.getSpansCount() - kept.size();
      ss.clearSpans().addAllSpans(kept);
    }));
    return new Result<>(b.build(), rejected[0],
        rejected[0] + " span(s) rejected: trace_id must be 16 bytes, span_id and parent_span_id 8");
  }

  private static Result<ExportLogsServiceRequest> logs(ExportLogsServiceRequest r) {
    boolean any = r.getResourceLogsList().stream()
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream())
        .anyMatch(InvalidItems::badLog);
    if (!any) {
      return new Result<>(r, 0, "");
    }
    long[] rejected = {0};
    ExportLogsServiceRequest.Builder b = r.toBuilder();
    b.getResourceLogsBuilderList().forEach(rl -> rl.getScopeLogsBuilderList().forEach(sl -> {
      var kept = sl.getLogRecordsList().stream().filter(x -> !badLog(x)).toList();
      rejected[0] += sl.getLogRecordsCount() - kept.size();
      sl.clearLogRecords().addAllLogRecords(kept);
    }));
    return new Result<>(b.build(), rejected[0],
        rejected[0] + " log record(s) rejected: trace_id must be empty or 16 bytes, span_id"
            + " empty or 8");
  }
}
