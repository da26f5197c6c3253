package io.vigil.processor.filter.internal;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.processor.ottl.RecordContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** Drops the log records the conditions match, and scopes and resources left empty. */
public final class LogFilter implements RequestFilter<ExportLogsServiceRequest> {
  private final Conditions records;

  public LogFilter(Conditions records) {
    this.records = records;
  }

  @Override
  public ExportLogsServiceRequest filter(ExportLogsServiceRequest request, LongConsumer dropped) {
    if (records.isEmpty()) {
      return request;
    }
    RecordContext c = new RecordContext();
    ExportLogsServiceRequest.Builder out = null;
    long count = 0;
    for (int i = 0; i < request.getResourceLogsCount(); i++) {
      ResourceLogs rl = request.getResourceLogs(i);
      c.resource(rl.getResource());
      List<ScopeLogs> scopes = new ArrayList<>(rl.getScopeLogsCount());
      boolean resourceChanged = false;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        c.scope(sl.getScope());
        List<LogRecord> kept = null;
        for (int k = 0; k < sl.getLogRecordsCount(); k++) {
          LogRecord r = sl.getLogRecords(k);
          c.log(r);
          boolean drop = records.anyMatch(c);
          if (drop) {
            count++;
            if (kept == null) {
              kept = new ArrayList<>(sl.getLogRecordsList().subList(0, k));
            }
          } else if (kept != null) {
            kept.add(r);
          }
        }
        if (kept == null) {
          scopes.add(sl);
        } else {
          resourceChanged = true;
          if (!kept.isEmpty()) {
            scopes.add(sl.toBuilder().clearLogRecords().addAllLogRecords(kept).build());
          }
        }
      }
      if (resourceChanged && out == null) {
        out = ExportLogsServiceRequest.newBuilder().addAllResourceLogs(request.getResourceLogsList().subList(0, i));
      }
      if (out != null) {
        if (!resourceChanged) {
          out.addResourceLogs(rl);
        } else if (!scopes.isEmpty()) {
          out.addResourceLogs(rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes));
        }
      }
    }
    dropped.accept(count);
    return out == null ? request : out.build();
  }
}
