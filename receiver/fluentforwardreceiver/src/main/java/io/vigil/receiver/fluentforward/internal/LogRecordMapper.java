package io.vigil.receiver.fluentforward.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.msgpack.value.Value;

/**
 * Turns forward entries into OTLP log records. The tag and the record's fields become
 * attributes; the {@code log} or {@code message} field becomes the body; a Kubernetes
 * container-log tag becomes k8s resource attributes; a body that is a JSON log line (ECS or
 * OTel field names) gives the record its own timestamp, severity, message and trace context.
 */
public final class LogRecordMapper {

  /**
   * {@code kube.var.log.containers.<pod>_<namespace>_<container>-<container id>.log}: the
   * kubelet writes the full 64-hex ID, tooling and hand-written tags often the short 12-hex one.
   */
  private static final Pattern K8S_TAG = Pattern.compile(
      "^(?:.*\\.)?var\\.log\\.containers\\.([^_]+)_([^_]+)_(.+)-([0-9a-f]{12,64})\\.log$");
  private static final String K8S_TAG_MARK = "var.log.containers.";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InstrumentationScope SCOPE =
      InstrumentationScope.newBuilder().setName("vigil.fluentforward").build();

  private LogRecordMapper() {}

  public static ExportLogsServiceRequest toRequest(ForwardMessage m) {
    Map<String, ScopeLogs.Builder> byService = new LinkedHashMap<>();
    long observed = System.currentTimeMillis() * 1_000_000L;
    for (ForwardMessage.Entry e : m.entries) {
      LogRecord.Builder r = LogRecord.newBuilder()
          .setTimeUnixNano(e.timeNanos)
          .setObservedTimeUnixNano(observed)
          .addAttributes(str("fluent.tag", m.tag));
      String service = map(e.record, r);
      byService.computeIfAbsent(service, s -> ScopeLogs.newBuilder().setScope(SCOPE))
          .addLogRecords(r);
    }
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    byService.forEach((service, scope) -> {
      Resource.Builder res = resource(m.tag);
      if (!service.isEmpty()) {
        res.addAttributes(str("service.name", service));
      }
      req.addResourceLogs(ResourceLogs.newBuilder().setResource(res).addScopeLogs(scope));
    });
    return req.build();
  }

  /**
   * A tag of a Kubernetes container log file that does not parse as one: its records get no
   * {@code k8s.*} attributes, and the receiver counts it.
   */
  public static boolean isUnparsableKubernetesTag(String tag) {
    return tag.contains(K8S_TAG_MARK) && !K8S_TAG.matcher(tag).matches();
  }

  static Resource.Builder resource(String tag) {
    Resource.Builder r = Resource.newBuilder();
    Matcher k = K8S_TAG.matcher(tag);
    if (k.matches()) {
      r.addAttributes(str("k8s.pod.name", k.group(1)));
      r.addAttributes(str("k8s.namespace.name", k.group(2)));
      r.addAttributes(str("k8s.container.name", k.group(3)));
      r.addAttributes(str("container.id", k.group(4)));
    }
    return r;
  }

  /** Fills the record from one forward record; returns the service name it names, or "". */
  private static String map(Map<Value, Value> record, LogRecord.Builder r) {
    String body = null;
    for (Map.Entry<Value, Value> f : record.entrySet()) {
      String key = f.getKey().isStringValue() ? MsgpackText.of(f.getKey())
          : f.getKey().toString();
      Value v = f.getValue();
      if (body == null && (key.equals("log") || key.equals("message")) && v.isStringValue()) {
        body = MsgpackText.of(v);
      } else if (key.equals("stream")) {
        r.addAttributes(str("log.iostream", v.toString().replace("\"", "")));
      } else if (key.equals("level") || key.equals("severity")) {
        severity(r, v.isStringValue() ? MsgpackText.of(v) : v.toString());
      } else {
        r.addAttributes(KeyValue.newBuilder().setKey(key).setValue(any(v)));
      }
    }
    if (body == null) {
      return "";
    }
    body = stripNewline(body);
    r.setBody(AnyValue.newBuilder().setStringValue(body));
    return body.startsWith("{") ? liftJson(body, r) : "";
  }

  /** Lifts ECS / OTel fields of a JSON log line into the record; returns service.name or "". */
  private static String liftJson(String line, LogRecord.Builder r) {
    JsonNode j;
    try {
      j = JSON.readTree(line);
    } catch (java.io.IOException e) {
      return "";
    }
    if (j == null || !j.isObject()) {
      return "";
    }
    String service = "";
    for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String k = f.getKey();
      JsonNode v = f.getValue();
      switch (k) {
        case "@timestamp":
        case "timestamp":
          timestamp(r, v.asText());
          break;
        case "message":
        case "msg":
          r.setBody(AnyValue.newBuilder().setStringValue(v.asText()));
          break;
        case "log.level":
        case "level":
        case "severity":
        case "severity_text":
          severity(r, v.asText());
          break;
        case "trace.id":
        case "trace_id":
        case "traceId":
          hexId(v.asText(), 16).ifPresent(r::setTraceId);
          break;
        case "span.id":
        case "span_id":
        case "spanId":
          hexId(v.asText(), 8).ifPresent(r::setSpanId);
          break;
        case "trace_flags":
          try {
            r.setFlags(Integer.parseInt(v.asText(), 16));
          } catch (NumberFormatException e) {
            r.addAttributes(str(k, v.asText()));
          }
          break;
        case "service.name":
          service = v.asText();
          break;
        default:
          r.addAttributes(KeyValue.newBuilder().setKey(k).setValue(json(v)));
      }
    }
    return service;
  }

  private static java.util.Optional<ByteString> hexId(String hex, int bytes) {
    if (hex.length() != bytes * 2) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(ByteString.copyFrom(HexFormat.of().parseHex(hex)));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  private static void timestamp(LogRecord.Builder r, String iso) {
    try {
      Instant t = Instant.parse(iso);
      r.setTimeUnixNano(t.getEpochSecond() * 1_000_000_000L + t.getNano());
    } catch (DateTimeParseException e) {
      r.addAttributes(str("timestamp", iso));
    }
  }

  static void severity(LogRecord.Builder r, String text) {
    r.setSeverityText(text);
    String t = text.toUpperCase(Locale.ROOT);
    SeverityNumber n = t.startsWith("TRACE") ? SeverityNumber.SEVERITY_NUMBER_TRACE
        : t.startsWith("DEBUG") ? SeverityNumber.SEVERITY_NUMBER_DEBUG
        : t.startsWith("INFO") ? SeverityNumber.SEVERITY_NUMBER_INFO
        : t.startsWith("WARN") ? SeverityNumber.SEVERITY_NUMBER_WARN
        : t.startsWith("ERR") ? SeverityNumber.SEVERITY_NUMBER_ERROR
        : t.startsWith("FATAL") || t.startsWith("CRIT") ? SeverityNumber.SEVERITY_NUMBER_FATAL
        : SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED;
    r.setSeverityNumber(n);
  }

  private static String stripNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static AnyValue any(Value v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (v.getValueType()) {
      case STRING:
        return b.setStringValue(MsgpackText.of(v)).build();
      case BINARY:
        return b.setBytesValue(ByteString.copyFrom(v.asBinaryValue().asByteArray())).build();
      case INTEGER:
        return v.asIntegerValue().isInLongRange()
            ? b.setIntValue(v.asIntegerValue().toLong()).build()
            : b.setStringValue(v.toString()).build();
      case FLOAT:
        return b.setDoubleValue(v.asFloatValue().toDouble()).build();
      case BOOLEAN:
        return b.setBoolValue(v.asBooleanValue().getBoolean()).build();
      case ARRAY: {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        v.asArrayValue().forEach(x -> a.addValues(any(x)));
        return b.setArrayValue(a).build();
      }
      case MAP: {
        KeyValueList.Builder kv = KeyValueList.newBuilder();
        v.asMapValue().map().forEach((k, x) -> kv.addValues(KeyValue.newBuilder()
            .setKey(k.isStringValue() ? MsgpackText.of(k) : k.toString())
            .setValue(any(x))));
        return b.setKvlistValue(kv).build();
      }
      case NIL:
        return b.build();
      default:
        return b.setStringValue(v.toString()).build();
    }
  }

  private static AnyValue json(JsonNode v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v.isTextual()) {
      return b.setStringValue(v.textValue()).build();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return b.setIntValue(v.longValue()).build();
    }
    if (v.isNumber()) {
      return b.setDoubleValue(v.doubleValue()).build();
    }
    if (v.isBoolean()) {
      return b.setBoolValue(v.booleanValue()).build();
    }
    return b.setStringValue(v.toString()).build();
  }
}
