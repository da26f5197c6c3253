package io.vigil.processor.attributes.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.config.ConfigException;
import io.vigil.processor.attraction.AnyValues;
import io.vigil.processor.attributes.MatchConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code include} or {@code exclude} for one signal, with the Collector's rules for
 * which properties each signal may use (a span has no log body; a metric is matched by name and
 * resource only).
 */
final class MatchProperties {
  private static final String NO_SERVICE = "<nil-service-name>";

  private StringFilter services;
  private StringFilter spanNames;
  private StringFilter spanKinds;
  private StringFilter logBodies;
  private StringFilter severityTexts;
  private Integer severityMin;
  private boolean severityMatchUndefined;
  private StringFilter metricNames;
  private final List<AttributeCondition> attributes = new ArrayList<>();
  private final List<AttributeCondition> resources = new ArrayList<>();
  private final List<LibraryCondition> libraries = new ArrayList<>();

  private record LibraryCondition(StringFilter name, String version) {
    boolean matches(InstrumentationScope s) {
      return name.matches(s.getName()) && (version == null || version.equals(s.getVersion()));
    }
  }

  static MatchProperties compile(MatchConfig c, Signal<?> signal, String path) {
    if (c.matchType == null || c.matchType.isEmpty()) {
      throw new ConfigException(path + "::match_type", "required: strict or regexp");
    }
    MatchType type = switch (c.matchType) {
      case "strict" -> MatchType.STRICT;
      case "regexp" -> MatchType.REGEXP;
      default -> throw new ConfigException(path + "::match_type", "unknown match type \""
          + c.matchType + "\": strict or regexp");
    };
    if (c.regexp != null && type != MatchType.REGEXP) {
      throw new ConfigException(path + "::regexp", "only used with match_type: regexp");
    }
    requireOne(path, "any signal", "services, span_names, span_kinds, attributes, resources,"
        + " libraries, log_bodies, log_severity_texts, log_severity_number or metric_names",
        c.services, c.spanNames, c.spanKinds, c.attributes, c.resources, c.libraries, c.logBodies,
        c.logSeverityTexts, c.logSeverityNumber, c.metricNames);
    if (signal == Signal.TRACES) {
      refuse(c.logBodies, path, "log_bodies", "spans");
      refuse(c.logSeverityTexts, path, "log_severity_texts", "spans");
      refuse(c.logSeverityNumber, path, "log_severity_number", "spans");
      refuse(c.metricNames, path, "metric_names", "spans");
      requireOne(path, "spans", "services, span_names, span_kinds, attributes, libraries or resources",
          c.services, c.spanNames, c.spanKinds, c.attributes, c.libraries, c.resources);
    } else if (signal == Signal.LOGS) {
      refuse(c.services, path, "services", "log records");
      refuse(c.spanNames, path, "span_names", "log records");
      refuse(c.spanKinds, path, "span_kinds", "log records");
      refuse(c.metricNames, path, "metric_names", "log records");
      requireOne(path, "log records", "attributes, libraries, resources, log_bodies,"
          + " log_severity_texts or log_severity_number", c.attributes, c.libraries, c.resources,
          c.logBodies, c.logSeverityTexts, c.logSeverityNumber);
    } else {
      refuse(c.services, path, "services", "metrics");
      refuse(c.spanNames, path, "span_names", "metrics");
      refuse(c.spanKinds, path, "span_kinds", "metrics");
      refuse(c.logBodies, path, "log_bodies", "metrics");
      refuse(c.logSeverityTexts, path, "log_severity_texts", "metrics");
      refuse(c.logSeverityNumber, path, "log_severity_number", "metrics");
      refuse(c.attributes, path, "attributes", "metrics");
      refuse(c.libraries, path, "libraries", "metrics");
      requireOne(path, "metrics", "metric_names or resources", c.metricNames, c.resources);
    }
    MatchProperties m = new MatchProperties();
    m.services = filter(c.services, type, path + "::services");
    m.spanNames = filter(c.spanNames, type, path + "::span_names");
    m.spanKinds = filter(c.spanKinds, type, path + "::span_kinds");
    m.logBodies = filter(c.logBodies, type, path + "::log_bodies");
    m.severityTexts = filter(c.logSeverityTexts, type, path + "::log_severity_texts");
    m.metricNames = filter(c.metricNames, type, path + "::metric_names");
    if (c.logSeverityNumber != null) {
      m.severityMin = LogSeverity.parse(c.logSeverityNumber.min, path + "::log_severity_number::min");
      m.severityMatchUndefined = c.logSeverityNumber.matchUndefined;
    }
    if (c.attributes != null) {
      for (int i = 0; i < c.attributes.size(); i++) {
        MatchConfig.KeyValueMatch kv = entry(c.attributes.get(i), path + "::attributes::" + i);
        m.attributes.add(AttributeCondition.of(kv.key, kv.value, type, path + "::attributes::" + i));
      }
    }
    if (c.resources != null) {
      for (int i = 0; i < c.resources.size(); i++) {
        MatchConfig.KeyValueMatch kv = entry(c.resources.get(i), path + "::resources::" + i);
        m.resources.add(AttributeCondition.of(kv.key, kv.value, type, path + "::resources::" + i));
      }
    }
    if (c.libraries != null) {
      for (int i = 0; i < c.libraries.size(); i++) {
        String p = path + "::libraries::" + i;
        MatchConfig.LibraryMatch l = entry(c.libraries.get(i), p);
        if (l.name == null || l.name.isEmpty()) {
          throw new ConfigException(p + "::name", "required");
        }
        m.libraries.add(new LibraryCondition(filter(List.of(l.name), type, p + "::name"), l.version));
      }
    }
    return m;
  }

  private static <E> E entry(E e, String path) {
    if (e == null) {
      throw new ConfigException(path, "an entry is required here (empty list entry)");
    }
    return e;
  }

  private static StringFilter filter(List<String> items, MatchType type, String path) {
    if (items == null || items.isEmpty()) {
      return null;
    }
    StringFilter.requireNoNulls(items, path);
    return StringFilter.of(items, type, path);
  }

  private static void refuse(Object value, String path, String key, String what) {
    boolean given = value instanceof List<?> l ? !l.isEmpty() : value != null;
    if (given) {
      throw new ConfigException(path + "::" + key, "cannot be used for " + what);
    }
  }

  private static void requireOne(String path, String what, String names, Object... values) {
    for (Object v : values) {
      if (v instanceof List<?> l ? !l.isEmpty() : v != null) {
        return;
      }
    }
    throw new ConfigException(path, "for " + what + " set at least one of " + names);
  }

  boolean matchesSpan(Resource r, InstrumentationScope scope, Span span) {
    if (services != null && !services.matches(serviceName(r))) {
      return false;
    }
    if (spanNames != null && !spanNames.matches(span.getName())) {
      return false;
    }
    if (spanKinds != null && !spanKinds.matches(span.getKind().name())) {
      return false;
    }
    return common(span.getAttributesList(), r, scope);
  }

  boolean matchesLog(Resource r, InstrumentationScope scope, LogRecord log) {
    if (logBodies != null && !(log.getBody().hasStringValue()
        && logBodies.matches(log.getBody().getStringValue()))) {
      return false;
    }
    if (severityTexts != null && !severityTexts.matches(log.getSeverityText())) {
      return false;
    }
    if (severityMin != null) {
      int n = log.getSeverityNumberValue();
      boolean ok = n == 0 ? severityMatchUndefined : n >= severityMin;
      if (!ok) {
        return false;
      }
    }
    return common(log.getAttributesList(), r, scope);
  }

  boolean matchesMetric(Resource r, Metric metric) {
    if (metricNames != null && !metricNames.matches(metric.getName())) {
      return false;
    }
    for (AttributeCondition c : resources) {
      if (!c.matches(r.getAttributesList())) {
        return false;
      }
    }
    return true;
  }

  private boolean common(List<KeyValue> attrs, Resource r, InstrumentationScope scope) {
    if (!libraries.isEmpty() && libraries.stream().noneMatch(l -> l.matches(scope))) {
      return false;
    }
    for (AttributeCondition c : resources) {
      if (!c.matches(r.getAttributesList())) {
        return false;
      }
    }
    for (AttributeCondition c : attributes) {
      if (!c.matches(attrs)) {
        return false;
      }
    }
    return true;
  }

  private static String serviceName(Resource r) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        AnyValue v = kv.getValue();
        return AnyValues.asString(v);
      }
    }
    return NO_SERVICE;
  }
}
