package io.vigil.connector.failureprediction;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Anomaly records flattened to their attributes, for assertions. */
final class Records {

  private Records() {}

  static List<Map<String, Object>> of(List<ExportLogsServiceRequest> batches) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ExportLogsServiceRequest b : batches) {
      b.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> {
        for (LogRecord r : sl.getLogRecordsList()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("scope", sl.getScope().getName());
          m.put("event", r.getEventName());
          m.put("body", r.getBody().getStringValue());
          rl.getResource().getAttributesList().forEach(kv -> m.put("resource." + kv.getKey(),
              value(kv.getValue())));
          for (KeyValue kv : r.getAttributesList()) {
            m.put(kv.getKey(), value(kv.getValue()));
          }
          out.add(m);
        }
      }));
    }
    return out;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(Records::value).toList();
      default -> v.toString();
    };
  }
}
