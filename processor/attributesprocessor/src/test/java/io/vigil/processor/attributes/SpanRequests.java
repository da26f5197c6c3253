package io.vigil.processor.attributes;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spans written the way the Collector's docs describe them: service, name, attributes. */
final class SpanRequests {
  private SpanRequests() {}

  static KeyValue kv(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof String s) {
      v.setStringValue(s);
    } else if (value instanceof Boolean b) {
      v.setBoolValue(b);
    } else if (value instanceof Double d) {
      v.setDoubleValue(d);
    } else {
      v.setIntValue(((Number) value).longValue());
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  static Span span(String name, Object... attrs) {
    Span.Builder s = Span.newBuilder().setName(name);
    for (int i = 0; i < attrs.length; i += 2) {
      s.addAttributes(kv((String) attrs[i], attrs[i + 1]));
    }
    return s.build();
  }

  /** One resource per span, with service.name = {@code service}. */
  static ExportTraceServiceRequest request(List<Map.Entry<String, Span>> spans) {
    ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, Span> e : spans) {
      r.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(kv("service.name", e.getKey())))
          .addScopeSpans(ScopeSpans.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.test"))
              .addSpans(e.getValue())));
    }
    return r.build();
  }

  /** Each span's attributes as key → plain value, in request order. */
  static List<Map<String, Object>> attributes(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .map(s -> plain(s.getAttributesList()))
        .toList();
  }

  static Map<String, Object> plain(List<KeyValue> attrs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : attrs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case BOOL_VALUE -> v.getBoolValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        case INT_VALUE -> v.getIntValue();
        default -> v.toString();
      });
    }
    return m;
  }
}
