package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elastic Common Schema documents: {@code @timestamp}, {@code message}, {@code log.level},
 * {@code service.name}, {@code trace.id}, {@code span.id}, {@code error.*}. OTel semantic
 * convention attributes that have an ECS field land there (by rename, or under the same name
 * where ECS and OTel agree); every other attribute goes to {@code labels.*} (strings and
 * booleans) or {@code numeric_labels.*} (numbers) with dots turned into underscores, as ECS
 * asks for custom fields, so no attribute can collide with an ECS field's type.
 */
final class EcsMapping implements RecordMapping {

  /** Resource attributes whose ECS field has another name. */
  private static final Map<String, String> RENAMED = Map.ofEntries(
      Map.entry("service.instance.id", "service.node.name"),
      Map.entry("deployment.environment", "service.environment"),
      Map.entry("deployment.environment.name", "service.environment"),
      Map.entry("telemetry.sdk.language", "agent.language"),
      Map.entry("k8s.namespace.name", "kubernetes.namespace"),
      Map.entry("k8s.pod.name", "kubernetes.pod.name"),
      Map.entry("k8s.pod.uid", "kubernetes.pod.uid"),
      Map.entry("k8s.node.name", "kubernetes.node.name"),
      Map.entry("k8s.deployment.name", "kubernetes.deployment.name"),
      Map.entry("k8s.container.name", "kubernetes.container.name"),
      Map.entry("container.image.name", "container.image.name"),
      Map.entry("process.executable.name", "process.name"),
      Map.entry("process.command_line", "process.command_line"),
      Map.entry("os.type", "host.os.platform"),
      Map.entry("host.arch", "host.architecture"),
      Map.entry("cloud.availability_zone", "cloud.availability_zone"),
      Map.entry("thread.name", "process.thread.name"),
      Map.entry("thread.id", "process.thread.id"),
      Map.entry("code.filepath", "log.origin.file.name"),
      Map.entry("code.function", "log.origin.function"),
      Map.entry("code.lineno", "log.origin.file.line"));

  /** Attributes whose OTel name is also the ECS field (semantic conventions merged into ECS). */
  private static final Set<String> SAME_NAME = Set.of(
      "service.name", "service.version", "service.namespace",
      "host.name", "host.id", "host.hostname", "container.id", "container.name",
      "cloud.provider", "cloud.region", "cloud.account.id", "cloud.platform",
      "process.pid", "http.request.method", "http.response.status_code",
      "http.request.body.size", "http.response.body.size", "url.full", "url.path",
      "url.query", "url.scheme", "url.domain", "url.port", "user_agent.original",
      "client.address", "client.port", "server.address", "server.port",
      "source.address", "source.port", "destination.address", "destination.port",
      "network.protocol.name", "network.transport", "event.name", "user.id", "user.name");

  /** Attributes consumed elsewhere in the document (error.*, index routing). */
  private static final Set<String> CONSUMED = Set.of(
      "exception.type", "exception.message", "exception.stacktrace",
      IndexNames.DATASET_ATTRIBUTE, IndexNames.NAMESPACE_ATTRIBUTE);

  @Override
  public String mappingsResource() {
    return "ecs-mappings.json";
  }

  @Override
  public ObjectNode log(Resource resource, InstrumentationScope scope, LogRecord r) {
    ObjectNode doc = AnyValues.JSON.objectNode();
    long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
    doc.put("@timestamp", AnyValues.timestamp(time));
    if (r.hasBody()) {
      doc.put("message", AnyValues.text(r.getBody()));
    }
    String level = level(r.getSeverityText(), r.getSeverityNumberValue());
    if (level != null) {
      put(doc, "log.level", AnyValues.JSON.textNode(level));
    }
    if (r.getSeverityNumberValue() > 0) {
      put(doc, "event.severity", AnyValues.JSON.numberNode(r.getSeverityNumberValue()));
    }
    if (!scope.getName().isEmpty()) {
      put(doc, "log.logger", AnyValues.JSON.textNode(scope.getName()));
    }
    if (!r.getEventName().isEmpty()) {
      put(doc, "event.action", AnyValues.JSON.textNode(r.getEventName()));
    }
    traceContext(doc, r.getTraceId(), r.getSpanId());
    attributes(doc, resource.getAttributesList());
    attributes(doc, r.getAttributesList());
    error(doc, r.getAttributesList());
    return doc;
  }

  @Override
  public ObjectNode span(Resource resource, InstrumentationScope scope, Span s) {
    ObjectNode doc = AnyValues.JSON.objectNode();
    doc.put("@timestamp", AnyValues.timestamp(s.getStartTimeUnixNano()));
    traceContext(doc, s.getTraceId(), s.getSpanId());
    if (!s.getParentSpanId().isEmpty() && !AnyValues.isAllZero(s.getParentSpanId())) {
      put(doc, "parent.id", AnyValues.JSON.textNode(AnyValues.hex(s.getParentSpanId())));
    }
    put(doc, "span.name", AnyValues.JSON.textNode(s.getName()));
    put(doc, "span.kind", AnyValues.JSON.textNode(kind(s.getKind())));
    put(doc, "event.duration",
        AnyValues.JSON.numberNode(Math.max(0, s.getEndTimeUnixNano() - s.getStartTimeUnixNano())));
    Status.StatusCode code = s.getStatus().getCode();
    put(doc, "event.outcome", AnyValues.JSON.textNode(
        code == Status.StatusCode.STATUS_CODE_ERROR ? "failure"
            : code == Status.StatusCode.STATUS_CODE_OK ? "success" : "unknown"));
    if (!scope.getName().isEmpty()) {
      put(doc, "service.framework.name", AnyValues.JSON.textNode(scope.getName()));
    }
    attributes(doc, resource.getAttributesList());
    attributes(doc, s.getAttributesList());
    boolean errorSet = false;
    com.fasterxml.jackson.databind.node.ArrayNode events = AnyValues.JSON.arrayNode();
    for (Span.Event e : s.getEventsList()) {
      if (e.getName().equals("exception")) {
        if (!errorSet) {
          error(doc, e.getAttributesList());
          errorSet = true;
        }
        continue;
      }
      // Other events (a cache miss, a retry, a message sent): name, time and their attributes
      // as one JSON text, so arbitrary keys cannot grow the index's mapping.
      ObjectNode event = AnyValues.JSON.objectNode();
      event.put("name", e.getName());
      event.put("@timestamp", AnyValues.timestamp(e.getTimeUnixNano()));
      if (e.getAttributesCount() > 0) {
        ObjectNode attrs = AnyValues.JSON.objectNode();
        e.getAttributesList().forEach(kv -> attrs.set(kv.getKey(), AnyValues.json(kv.getValue())));
        event.put("attributes", attrs.toString());
      }
      events.add(event);
    }
    if (!events.isEmpty()) {
      put(doc, "span.events", events);
    }
    com.fasterxml.jackson.databind.node.ArrayNode links = AnyValues.JSON.arrayNode();
    for (Span.Link l : s.getLinksList()) {
      // As Elastic APM writes links: span.links.trace.id / span.links.span.id.
      ObjectNode link = AnyValues.JSON.objectNode();
      link.putObject("trace").put("id", AnyValues.hex(l.getTraceId()));
      link.putObject("span").put("id", AnyValues.hex(l.getSpanId()));
      links.add(link);
    }
    if (!links.isEmpty()) {
      put(doc, "span.links", links);
    }
    if (code == Status.StatusCode.STATUS_CODE_ERROR && !s.getStatus().getMessage().isEmpty()
        && !has(doc, "error.message")) {
      put(doc, "error.message", AnyValues.JSON.textNode(s.getStatus().getMessage()));
    }
    return doc;
  }

  private static void traceContext(ObjectNode doc, com.google.protobuf.ByteString traceId,
      com.google.protobuf.ByteString spanId) {
    if (!traceId.isEmpty() && !AnyValues.isAllZero(traceId)) {
      put(doc, "trace.id", AnyValues.JSON.textNode(AnyValues.hex(traceId)));
    }
    if (!spanId.isEmpty() && !AnyValues.isAllZero(spanId)) {
      put(doc, "span.id", AnyValues.JSON.textNode(AnyValues.hex(spanId)));
    }
  }

  private static void attributes(ObjectNode doc, List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      String key = kv.getKey();
      if (CONSUMED.contains(key)) {
        continue;
      }
      JsonNode value = AnyValues.json(kv.getValue());
      String ecs = RENAMED.get(key);
      if (ecs == null && SAME_NAME.contains(key)) {
        ecs = key;
      }
      if (ecs != null) {
        put(doc, ecs, value);
      } else if (value.isNumber()) {
        put(doc, "numeric_labels." + key.replace('.', '_'), value);
      } else if (!value.isNull()) {
        put(doc, "labels." + key.replace('.', '_'),
            AnyValues.JSON.textNode(value.isTextual() ? value.asText() : value.toString()));
      }
    }
  }

  private static void error(ObjectNode doc, List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      switch (kv.getKey()) {
        case "exception.type" -> put(doc, "error.type", AnyValues.JSON.textNode(
            AnyValues.text(kv.getValue())));
        case "exception.message" -> put(doc, "error.message", AnyValues.JSON.textNode(
            AnyValues.text(kv.getValue())));
        case "exception.stacktrace" -> put(doc, "error.stack_trace", AnyValues.JSON.textNode(
            AnyValues.text(kv.getValue())));
        default -> { }
      }
    }
  }

  /** The severity text as given, else the level name the severity number stands for. */
  /**
   * {@code log.level}: the severity text in lower case (producers write {@code ERROR},
   * {@code error} or {@code Error}; ECS examples and Kibana filters use lower case), else the
   * severity number's name.
   */
  static String level(String text, int number) {
    if (!text.isEmpty()) {
      return text.toLowerCase(java.util.Locale.ROOT);
    }
    if (number <= 0) {
      return null;
    }
    String[] names = {"trace", "debug", "info", "warn", "error", "fatal"};
    return names[Math.min(5, (number - 1) / 4)];
  }

  private static String kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> "server";
      case SPAN_KIND_CLIENT -> "client";
      case SPAN_KIND_PRODUCER -> "producer";
      case SPAN_KIND_CONSUMER -> "consumer";
      case SPAN_KIND_INTERNAL -> "internal";
      default -> "unspecified";
    };
  }

  /**
   * Sets a dotted path as nested objects ({@code trace.id} becomes {@code {"trace":{"id":..}}}),
   * as Elasticsearch stores it. When a leaf sits where an object must go, the later value
   * is kept under the full dotted name on the nearest object, which the engine maps the same.
   */
  static void put(ObjectNode doc, String path, JsonNode value) {
    ObjectNode at = doc;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = at.get(parts[i]);
      if (next == null) {
        next = at.putObject(parts[i]);
      } else if (!next.isObject()) {
        at.set(String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length)), value);
        return;
      }
      at = (ObjectNode) next;
    }
    at.set(parts[parts.length - 1], value);
  }

  private static boolean has(ObjectNode doc, String path) {
    JsonNode at = doc;
    for (String p : path.split("\\.")) {
      at = at.get(p);
      if (at == null) {
        return false;
      }
    }
    return true;
  }
}
