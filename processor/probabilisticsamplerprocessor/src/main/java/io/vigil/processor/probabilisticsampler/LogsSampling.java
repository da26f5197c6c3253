package io.vigil.processor.probabilisticsampler;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.processor.probabilisticsampler.internal.LogDecision;
import java.util.concurrent.CompletableFuture;

/** Keeps the sampled log records of each request; see {@link TracesSampling} for the rest. */
final class LogsSampling implements Processor<ExportLogsServiceRequest> {
  private final LogDecision decision;
  private final Consumer<ExportLogsServiceRequest> next;

  LogsSampling(LogDecision decision, Consumer<ExportLogsServiceRequest> next) {
    this.decision = decision;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(ExportLogsServiceRequest request) {
    ExportLogsServiceRequest out = sample(request);
    if (out.getResourceLogsCount() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return next.consume(out);
  }

  ExportLogsServiceRequest sample(ExportLogsServiceRequest request) {
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    boolean changed = false;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceLogs.Builder rb = null;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder sb = null;
        for (LogRecord r : sl.getLogRecordsList()) {
          LogRecord kept = decision.decide(r);
          if (kept == null) {
            changed = true;
            continue;
          }
          changed |= kept != r;
          if (sb == null) {
            sb = sl.toBuilder().clearLogRecords();
          }
          sb.addLogRecords(kept);
        }
        if (sb != null) {
          if (rb == null) {
            rb = rl.toBuilder().clearScopeLogs();
          }
          rb.addScopeLogs(sb);
        } else if (sl.getLogRecordsCount() > 0) {
          changed = true;
        }
      }
      if (rb != null) {
        out.addResourceLogs(rb);
      } else {
        changed = true;
      }
    }
    return changed ? out.build() : request;
  }
}
