package io.vigil.processor.ottl;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An OTTL context: the kind of record a condition or statement runs on, and so which paths it
 * can use. A context reaches its own fields and those of the records that contain it (a span
 * event reaches its span, scope and resource).
 */
public enum OttlContext {
  RESOURCE,
  SCOPE,
  SPAN,
  SPANEVENT,
  METRIC,
  DATAPOINT,
  LOG;

  /** The name written in configs and as a path prefix: {@code span}, {@code datapoint}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The context named {@code key}, or null; {@code instrumentation_scope} is scope's alias. */
  public static OttlContext byKey(String key) {
    if ("instrumentation_scope".equals(key)) {
      return SCOPE;
    }
    for (OttlContext c : values()) {
      if (c.key().equals(key)) {
        return c;
      }
    }
    return null;
  }

  /** This context and those whose fields it can read: its containers. */
  public Set<OttlContext> reachable() {
    return switch (this) {
      case RESOURCE -> EnumSet.of(RESOURCE);
      case SCOPE -> EnumSet.of(RESOURCE, SCOPE);
      case SPAN -> EnumSet.of(RESOURCE, SCOPE, SPAN);
      case SPANEVENT -> EnumSet.of(RESOURCE, SCOPE, SPAN, SPANEVENT);
      case METRIC -> EnumSet.of(RESOURCE, SCOPE, METRIC);
      case DATAPOINT -> EnumSet.of(RESOURCE, SCOPE, METRIC, DATAPOINT);
      case LOG -> EnumSet.of(RESOURCE, SCOPE, LOG);
    };
  }

  /** How deep the context lies: resource 0, scope 1, span/metric/log 2, event/datapoint 3. */
  public int depth() {
    return reachable().size() - 1;
  }
}
