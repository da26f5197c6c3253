package io.vigil.exporter.jaeger;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP span as Jaeger shows it, following the translation Jaeger applies to what it ingests
 * over OTLP (the collector's OTLP-to-Jaeger model translator): the service is the resource's
 * {@code service.name}, other resource attributes are process tags, the kind, status and scope
 * become tags, events become logs, the parent is a CHILD_OF reference and links are
 * FOLLOWS_FROM. Used to check what users will see, and by anything that renders spans the way
 * Jaeger does.
 */
public final class JaegerSpanView {

  /** Jaeger's name for a resource without service.name. */
  public static final String NO_SERVICE_NAME = "OTLPResourceNoServiceName";

  /** A span reference. */
  public record Reference(String refType, String traceId, String spanId) {}

  /** A span log (an OTLP event). */
  public record Log(long timestampMicros, Map<String, Object> fields) {}

  public final String traceId;
  public final String spanId;
  public final String operationName;
  public final String serviceName;
  public final long startTimeMicros;
  public final long durationMicros;
  public final List<Reference> references;
  public final Map<String, Object> tags;
  public final List<Log> logs;
  public final Map<String, Object> processTags;

  private JaegerSpanView(Span span, Resource resource, InstrumentationScope scope) {
    HexFormat hex = HexFormat.of();
    traceId = hex.formatHex(span.getTraceId().toByteArray());
    spanId = hex.formatHex(span.getSpanId().toByteArray());
    operationName = span.getName();
    startTimeMicros = span.getStartTimeUnixNano() / 1000;
    durationMicros = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000;

    String service = NO_SERVICE_NAME;
    Map<String, Object> process = new LinkedHashMap<>();
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        service = kv.getValue().getStringValue();
      } else {
        process.put(kv.getKey(), value(kv.getValue()));
      }
    }
    serviceName = service;
    processTags = Collections.unmodifiableMap(process);

    List<Reference> refs = new ArrayList<>();
    if (!span.getParentSpanId().isEmpty()) {
      refs.add(new Reference("CHILD_OF", traceId, hex.formatHex(span.getParentSpanId().toByteArray())));
    }
    for (Span.Link l : span.getLinksList()) {
      refs.add(new Reference("FOLLOWS_FROM", hex.formatHex(l.getTraceId().toByteArray()),
          hex.formatHex(l.getSpanId().toByteArray())));
    }
    references = Collections.unmodifiableList(refs);

    Map<String, Object> t = new LinkedHashMap<>();
    if (!scope.getName().isEmpty()) {
      t.put("otel.scope.name", scope.getName());
    }
    if (!scope.getVersion().isEmpty()) {
      t.put("otel.scope.version", scope.getVersion());
    }
    for (KeyValue kv : span.getAttributesList()) {
      t.put(kv.getKey(), value(kv.getValue()));
    }
    String kind = kind(span.getKind());
    if (kind != null) {
      t.put("span.kind", kind);
    }
    if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
      t.put("otel.status_code", "ERROR");
      t.put("error", true);
    } else if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_OK) {
      t.put("otel.status_code", "OK");
    }
    if (!span.getStatus().getMessage().isEmpty()) {
      t.put("otel.status_description", span.getStatus().getMessage());
    }
    if (!span.getTraceState().isEmpty()) {
      t.put("w3c.tracestate", span.getTraceState());
    }
    tags = Collections.unmodifiableMap(t);

    List<Log> l = new ArrayList<>();
    for (Span.Event e : span.getEventsList()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      if (!e.getName().isEmpty()) {
        fields.put("event", e.getName());
      }
      for (KeyValue kv : e.getAttributesList()) {
        fields.put(kv.getKey(), value(kv.getValue()));
      }
      l.add(new Log(e.getTimeUnixNano() / 1000, Collections.unmodifiableMap(fields)));
    }
    logs = Collections.unmodifiableList(l);
  }

  public static JaegerSpanView of(Span span, Resource resource, InstrumentationScope scope) {
    return new JaegerSpanView(span, resource, scope);
  }

  /** Jaeger's span.kind values (OpenTracing's); unspecified has no tag. */
  static String kind(Span.SpanKind k) {
    switch (k) {
      case SPAN_KIND_CLIENT:
        return "client";
      case SPAN_KIND_SERVER:
        return "server";
      case SPAN_KIND_PRODUCER:
        return "producer";
      case SPAN_KIND_CONSUMER:
        return "consumer";
      case SPAN_KIND_INTERNAL:
        return "internal";
      default:
        return null;
    }
  }

  /** Jaeger tag types: string, int64, float64, bool; arrays and maps as their JSON text. */
  static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case BYTES_VALUE:
        return java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      default:
        return json(v);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static String json(AnyValue v) {
    try {
      return JSON.writeValueAsString(plain(v));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return v.toString();
    }
  }

  /** The value as plain Java objects, for JSON. */
  private static Object plain(AnyValue v) {
    switch (v.getValueCase()) {
      case ARRAY_VALUE: {
        List<Object> out = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(x -> out.add(plain(x)));
        return out;
      }
      case KVLIST_VALUE: {
        Map<String, Object> out = new LinkedHashMap<>();
        v.getKvlistValue().getValuesList().forEach(kv -> out.put(kv.getKey(), plain(kv.getValue())));
        return out;
      }
      case VALUE_NOT_SET:
        return null;
      default:
        return value(v);
    }
  }
}
