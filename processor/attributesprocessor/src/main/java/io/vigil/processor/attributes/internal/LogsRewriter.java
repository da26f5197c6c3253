package io.vigil.processor.attributes.internal;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.vigil.processor.attraction.AttributeActions;
import static io.vigil.processor.attributes.internal.RequestRewriter.changed;

import java.util.List;

/** The actions on log record attributes. */
public final class LogsRewriter implements RequestRewriter<ExportLogsServiceRequest> {
  private final AttributeActions actions;
  private final ItemSelector selector;

  public LogsRewriter(AttributeActions actions, ItemSelector selector) {
    this.actions = actions;
    this.selector = selector;
  }

  @Override
  public ExportLogsServiceRequest rewrite(ExportLogsServiceRequest request) {
    ExportLogsServiceRequest.Builder out = null;
    for (int i = 0; i < request.getResourceLogsCount(); i++) {
      ResourceLogs rl = request.getResourceLogs(i);
      for (int j = 0; j < rl.getScopeLogsCount(); j++) {
        ScopeLogs sl = rl.getScopeLogs(j);
        for (int k = 0; k < sl.getLogRecordsCount(); k++) {
          LogRecord log = sl.getLogRecords(k);
          if (!selector.selectsLog(rl.getResource(), sl.getScope(), log)) {
            continue;
          }
          List<KeyValue> attrs = actions.apply(log.getAttributesList());
          if (changed(attrs, log.getAttributesList())) {
            if (out == null) {
              out = request.toBuilder();
            }
            out.getResourceLogsBuilder(i).getScopeLogsBuilder(j).getLogRecordsBuilder(k)
                .clearAttributes().addAllAttributes(attrs);
          }
        }
      }
    }
    return out == null ? request : out.build();
  }
}
