package io.vigil.processor.ottl.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.MetricOrBuilder;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.processor.ottl.OttlContext;
import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.RecordContext;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The fields each context exposes, named as the Collector's context READMEs name them
 * ({@code pkg/ottl/contexts/ottlspan} and its siblings). A value of the wrong type written to a
 * field is ignored, as the Collector's setters ignore it.
 */
public final class Paths {
  private static final Map<OttlContext, Map<String, Target>> FIELDS = new EnumMap<>(OttlContext.class);

  static {
    Map<String, Target> resource = new LinkedHashMap<>();
    resource.put("attributes", new AttributesTarget(c -> c.resource().getAttributesList(),
        (c, l) -> c.writable(c.resource(), Resource.Builder.class).clearAttributes().addAllAttributes(l),
        (c, i, kv) -> {
          Resource.Builder b = c.writable(c.resource(), Resource.Builder.class);
          if (i >= 0) {
            b.setAttributes(i, kv);
          } else {
            b.addAttributes(kv);
          }
        }));
    resource.put("dropped_attributes_count", intField(c -> c.resource().getDroppedAttributesCount(),
        (c, v) -> c.writable(c.resource(), Resource.Builder.class).setDroppedAttributesCount(v.intValue())));
    FIELDS.put(OttlContext.RESOURCE, resource);

    Map<String, Target> scope = new LinkedHashMap<>();
    scope.put("name", stringField(c -> c.scope().getName(),
        (c, v) -> c.writable(c.scope(), InstrumentationScope.Builder.class).setName(v)));
    scope.put("version", stringField(c -> c.scope().getVersion(),
        (c, v) -> c.writable(c.scope(), InstrumentationScope.Builder.class).setVersion(v)));
    scope.put("attributes", new AttributesTarget(c -> c.scope().getAttributesList(),
        (c, l) -> c.writable(c.scope(), InstrumentationScope.Builder.class).clearAttributes().addAllAttributes(l)));
    scope.put("dropped_attributes_count", intField(c -> c.scope().getDroppedAttributesCount(),
        (c, v) -> c.writable(c.scope(), InstrumentationScope.Builder.class).setDroppedAttributesCount(v.intValue())));
    FIELDS.put(OttlContext.SCOPE, scope);

    Map<String, Target> span = new LinkedHashMap<>();
    idFields(span, "trace_id", c -> c.span().getTraceId(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setTraceId(v), 16);
    idFields(span, "span_id", c -> c.span().getSpanId(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setSpanId(v), 8);
    idFields(span, "parent_span_id", c -> c.span().getParentSpanId(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setParentSpanId(v), 8);
    span.put("trace_state", stringField(c -> c.span().getTraceState(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setTraceState(v)));
    span.put("name", stringField(c -> c.span().getName(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setName(v)));
    span.put("kind", intField(c -> c.span().getKindValue(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setKindValue(v.intValue())));
    span.put("start_time_unix_nano", intField(c -> c.span().getStartTimeUnixNano(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setStartTimeUnixNano(v)));
    span.put("end_time_unix_nano", intField(c -> c.span().getEndTimeUnixNano(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setEndTimeUnixNano(v)));
    span.put("attributes", new AttributesTarget(c -> c.span().getAttributesList(),
        (c, l) -> c.writable(c.span(), Span.Builder.class).clearAttributes().addAllAttributes(l),
        (c, i, kv) -> {
          Span.Builder b = c.writable(c.span(), Span.Builder.class);
          if (i >= 0) {
            b.setAttributes(i, kv);
          } else {
            b.addAttributes(kv);
          }
        }));
    span.put("dropped_attributes_count", intField(c -> c.span().getDroppedAttributesCount(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setDroppedAttributesCount(v.intValue())));
    span.put("dropped_events_count", intField(c -> c.span().getDroppedEventsCount(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setDroppedEventsCount(v.intValue())));
    span.put("dropped_links_count", intField(c -> c.span().getDroppedLinksCount(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).setDroppedLinksCount(v.intValue())));
    span.put("status.code", intField(c -> c.span().getStatus().getCodeValue(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).getStatusBuilder().setCodeValue(v.intValue())));
    span.put("status.message", stringField(c -> c.span().getStatus().getMessage(),
        (c, v) -> c.writable(c.span(), Span.Builder.class).getStatusBuilder().setMessage(v)));
    span.put("flags", intField(c -> c.span().getFlags() & 0xffffffffL,
        (c, v) -> c.writable(c.span(), Span.Builder.class).setFlags(v.intValue())));
    FIELDS.put(OttlContext.SPAN, span);

    Map<String, Target> event = new LinkedHashMap<>();
    event.put("name", stringField(c -> c.spanEvent().getName(),
        (c, v) -> c.writable(c.spanEvent(), Span.Event.Builder.class).setName(v)));
    event.put("time_unix_nano", intField(c -> c.spanEvent().getTimeUnixNano(),
        (c, v) -> c.writable(c.spanEvent(), Span.Event.Builder.class).setTimeUnixNano(v)));
    event.put("attributes", new AttributesTarget(c -> c.spanEvent().getAttributesList(),
        (c, l) -> c.writable(c.spanEvent(), Span.Event.Builder.class).clearAttributes().addAllAttributes(l)));
    event.put("dropped_attributes_count", intField(c -> c.spanEvent().getDroppedAttributesCount(),
        (c, v) -> c.writable(c.spanEvent(), Span.Event.Builder.class).setDroppedAttributesCount(v.intValue())));
    FIELDS.put(OttlContext.SPANEVENT, event);

    Map<String, Target> metric = new LinkedHashMap<>();
    metric.put("name", stringField(c -> c.metric().getName(),
        (c, v) -> c.writable(c.metric(), Metric.Builder.class).setName(v)));
    metric.put("description", stringField(c -> c.metric().getDescription(),
        (c, v) -> c.writable(c.metric(), Metric.Builder.class).setDescription(v)));
    metric.put("unit", stringField(c -> c.metric().getUnit(),
        (c, v) -> c.writable(c.metric(), Metric.Builder.class).setUnit(v)));
    metric.put("type", readOnly("type", c -> (long) metricType(c.metric())));
    metric.put("aggregation_temporality", intField(c -> (long) temporality(c.metric()),
        (c, v) -> setTemporality(c.writable(c.metric(), Metric.Builder.class), v.intValue())));
    metric.put("is_monotonic", boolField(c -> c.metric().hasSum() && c.metric().getSum().getIsMonotonic(),
        (c, v) -> {
          Metric.Builder m = c.writable(c.metric(), Metric.Builder.class);
          if (m.hasSum()) {
            m.getSumBuilder().setIsMonotonic(v);
          }
        }));
    FIELDS.put(OttlContext.METRIC, metric);

    Map<String, Target> point = new LinkedHashMap<>();
    point.put("attributes", new AttributesTarget(c -> DataPoints.attributes(c.dataPoint()),
        (c, l) -> DataPoints.setAttributes(c, l)));
    point.put("start_time_unix_nano", intField(c -> DataPoints.startTime(c.dataPoint()),
        (c, v) -> DataPoints.setStartTime(c, v)));
    point.put("time_unix_nano", intField(c -> DataPoints.time(c.dataPoint()),
        (c, v) -> DataPoints.setTime(c, v)));
    point.put("value_double", doubleField(c -> c.dataPoint() instanceof NumberDataPoint.Builder b
            ? b.getAsDouble() : c.dataPoint() instanceof NumberDataPoint p ? p.getAsDouble() : 0.0,
        (c, v) -> c.writable(c.dataPoint(), NumberDataPoint.Builder.class).setAsDouble(v)));
    point.put("value_int", intField(c -> c.dataPoint() instanceof NumberDataPoint.Builder b
            ? b.getAsInt() : c.dataPoint() instanceof NumberDataPoint p ? p.getAsInt() : 0L,
        (c, v) -> c.writable(c.dataPoint(), NumberDataPoint.Builder.class).setAsInt(v)));
    point.put("flags", intField(c -> (long) DataPoints.flags(c.dataPoint()), (c, v) -> DataPoints.setFlags(c, v)));
    point.put("count", readOnly("count", c -> DataPoints.count(c.dataPoint())));
    point.put("sum", readOnly("sum", c -> DataPoints.sum(c.dataPoint())));
    FIELDS.put(OttlContext.DATAPOINT, point);

    Map<String, Target> log = new LinkedHashMap<>();
    log.put("body", new Target() {
      @Override
      public Object eval(RecordContext c) {
        return Values.fromAny(c.log().getBody());
      }

      @Override
      public void set(RecordContext c, Object value) {
        c.writable(c.log(), LogRecord.Builder.class).setBody(Values.toAny(value));
      }
    });
    log.put("attributes", new AttributesTarget(c -> c.log().getAttributesList(),
        (c, l) -> c.writable(c.log(), LogRecord.Builder.class).clearAttributes().addAllAttributes(l),
        (c, i, kv) -> {
          LogRecord.Builder b = c.writable(c.log(), LogRecord.Builder.class);
          if (i >= 0) {
            b.setAttributes(i, kv);
          } else {
            b.addAttributes(kv);
          }
        }));
    log.put("severity_number", intField(c -> c.log().getSeverityNumberValue(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setSeverityNumberValue(v.intValue())));
    log.put("severity_text", stringField(c -> c.log().getSeverityText(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setSeverityText(v)));
    log.put("time_unix_nano", intField(c -> c.log().getTimeUnixNano(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setTimeUnixNano(v)));
    log.put("observed_time_unix_nano", intField(c -> c.log().getObservedTimeUnixNano(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setObservedTimeUnixNano(v)));
    log.put("event_name", stringField(c -> c.log().getEventName(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setEventName(v)));
    log.put("flags", intField(c -> c.log().getFlags() & 0xffffffffL,
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setFlags(v.intValue())));
    log.put("dropped_attributes_count", intField(c -> c.log().getDroppedAttributesCount(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setDroppedAttributesCount(v.intValue())));
    idFields(log, "trace_id", c -> c.log().getTraceId(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setTraceId(v), 16);
    idFields(log, "span_id", c -> c.log().getSpanId(),
        (c, v) -> c.writable(c.log(), LogRecord.Builder.class).setSpanId(v), 8);
    FIELDS.put(OttlContext.LOG, log);
  }

  private Paths() {}

  /** The field {@code name} (segments joined with dots) of {@code context}, or null. */
  public static Target field(OttlContext context, String name) {
    return FIELDS.get(context).get(name);
  }

  /** The field names of {@code context}, for "expected one of" messages. */
  public static Set<String> names(OttlContext context) {
    return new TreeSet<>(FIELDS.get(context).keySet());
  }

  static Target stringField(Function<RecordContext, String> get, BiConsumer<RecordContext, String> set) {
    return new Target() {
      @Override
      public Object eval(RecordContext c) {
        return get.apply(c);
      }

      @Override
      public void set(RecordContext c, Object value) {
        if (value instanceof String s) {
          set.accept(c, s);
        }
      }
    };
  }

  static Target intField(ToLongFunction<RecordContext> get, BiConsumer<RecordContext, Long> set) {
    return new Target() {
      @Override
      public Object eval(RecordContext c) {
        return get.applyAsLong(c);
      }

      @Override
      public void set(RecordContext c, Object value) {
        if (value instanceof Long l) {
          set.accept(c, l);
        }
      }
    };
  }

  static Target doubleField(Function<RecordContext, Double> get, BiConsumer<RecordContext, Double> set) {
    return new Target() {
      @Override
      public Object eval(RecordContext c) {
        return get.apply(c);
      }

      @Override
      public void set(RecordContext c, Object value) {
        if (value instanceof Double d) {
          set.accept(c, d);
        }
      }
    };
  }

  static Target boolField(Function<RecordContext, Boolean> get, BiConsumer<RecordContext, Boolean> set) {
    return new Target() {
      @Override
      public Object eval(RecordContext c) {
        return get.apply(c);
      }

      @Override
      public void set(RecordContext c, Object value) {
        if (value instanceof Boolean b) {
          set.accept(c, b);
        }
      }
    };
  }

  static Target readOnly(String name, Function<RecordContext, Object> get) {
    return new Target() {
      @Override
      public Object eval(RecordContext c) {
        return get.apply(c);
      }

      @Override
      public void set(RecordContext c, Object value) {
        throw new OttlEvaluationException(name + " cannot be set");
      }
    };
  }

  /** {@code trace_id} as bytes and {@code trace_id.string} as lower-case hex, both settable. */
  private static void idFields(Map<String, Target> into, String name, Function<RecordContext, ByteString> get,
      BiConsumer<RecordContext, ByteString> set, int length) {
    into.put(name, new Target() {
      @Override
      public Object eval(RecordContext c) {
        return get.apply(c);
      }

      @Override
      public void set(RecordContext c, Object value) {
        if (value instanceof ByteString b && b.size() == length) {
          set.accept(c, b);
        }
      }
    });
    into.put(name + ".string", new Target() {
      @Override
      public Object eval(RecordContext c) {
        return HexFormat.of().formatHex(get.apply(c).toByteArray());
      }

      @Override
      public void set(RecordContext c, Object value) {
        if (value instanceof String s && s.length() == 2 * length) {
          try {
            set.accept(c, ByteString.copyFrom(HexFormat.of().parseHex(s)));
          } catch (IllegalArgumentException e) {
            throw new OttlEvaluationException(name + ".string: \"" + s + "\" is not hex");
          }
        }
      }
    });
  }

  /** pmetric.MetricType: 0 empty, 1 gauge, 2 sum, 3 histogram, 4 exponential histogram, 5 summary. */
  static int metricType(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case GAUGE -> 1;
      case SUM -> 2;
      case HISTOGRAM -> 3;
      case EXPONENTIAL_HISTOGRAM -> 4;
      case SUMMARY -> 5;
      default -> 0;
    };
  }

  private static int temporality(MetricOrBuilder m) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporalityValue();
      case HISTOGRAM -> m.getHistogram().getAggregationTemporalityValue();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporalityValue();
      default -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED_VALUE;
    };
  }

  private static void setTemporality(Metric.Builder m, int v) {
    switch (m.getDataCase()) {
      case SUM -> m.getSumBuilder().setAggregationTemporalityValue(v);
      case HISTOGRAM -> m.getHistogramBuilder().setAggregationTemporalityValue(v);
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramBuilder().setAggregationTemporalityValue(v);
      default -> { }
    }
  }

  /** A map field of KeyValues, with a fast path for one key read or written. */
  public static final class AttributesTarget implements Target {
    private final Function<RecordContext, List<KeyValue>> read;
    private final BiConsumer<RecordContext, List<KeyValue>> write;
    private final OneAttribute one;

    AttributesTarget(Function<RecordContext, List<KeyValue>> read, BiConsumer<RecordContext, List<KeyValue>> write) {
      this(read, write, null);
    }

    AttributesTarget(Function<RecordContext, List<KeyValue>> read, BiConsumer<RecordContext, List<KeyValue>> write,
        OneAttribute one) {
      this.read = read;
      this.write = write;
      this.one = one;
    }

    @Override
    public Object eval(RecordContext c) {
      return Values.toMap(read.apply(c));
    }

    @Override
    public void set(RecordContext c, Object value) {
      if (value instanceof Map<?, ?> m) {
        write.accept(c, Values.toKeyValues(m));
      }
    }

    /** The attributes as they are stored, for a check that needs no conversion. */
    public List<KeyValue> raw(RecordContext c) {
      return read.apply(c);
    }

    /** The value under {@code key}, or null. */
    public Object get(RecordContext c, String key) {
      for (KeyValue kv : read.apply(c)) {
        if (kv.getKey().equals(key)) {
          return Values.fromAny(kv.getValue());
        }
      }
      return null;
    }

    /** Writes {@code key}: replaced in place if present, appended otherwise. */
    public void put(RecordContext c, String key, Object value) {
      List<KeyValue> in = read.apply(c);
      KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(Values.toAny(value)).build();
      int at = -1;
      for (int i = 0; i < in.size(); i++) {
        if (in.get(i).getKey().equals(key)) {
          at = i;
          break;
        }
      }
      if (one != null) {
        // The builder's own setter or adder: no copy of the other attributes.
        one.write(c, at, kv);
        return;
      }
      List<KeyValue> out = new java.util.ArrayList<>(in);
      if (at >= 0) {
        out.set(at, kv);
      } else {
        out.add(kv);
      }
      write.accept(c, out);
    }
  }

  /** Writes one attribute: at {@code index} when it is present (index >= 0), appended otherwise. */
  @FunctionalInterface
  interface OneAttribute {
    void write(RecordContext c, int index, KeyValue kv);
  }

  /** The four data point types, which share fields but no interface. */
  static final class DataPoints {
    private DataPoints() {}

    static List<KeyValue> attributes(MessageOrBuilder p) {
      if (p instanceof io.opentelemetry.proto.metrics.v1.NumberDataPointOrBuilder n) {
        return n.getAttributesList();
      }
      if (p instanceof io.opentelemetry.proto.metrics.v1.HistogramDataPointOrBuilder h) {
        return h.getAttributesList();
      }
      if (p instanceof io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPointOrBuilder e) {
        return e.getAttributesList();
      }
      if (p instanceof io.opentelemetry.proto.metrics.v1.SummaryDataPointOrBuilder s) {
        return s.getAttributesList();
      }
      return List.of();
    }

    static void setAttributes(RecordContext c, List<KeyValue> l) {
      Object p = c.dataPoint();
      if (p instanceof NumberDataPoint.Builder b) {
        c.writable(b, NumberDataPoint.Builder.class).clearAttributes().addAllAttributes(l);
      } else if (p instanceof HistogramDataPoint.Builder b) {
        c.writable(b, HistogramDataPoint.Builder.class).clearAttributes().addAllAttributes(l);
      } else if (p instanceof ExponentialHistogramDataPoint.Builder b) {
        c.writable(b, ExponentialHistogramDataPoint.Builder.class).clearAttributes().addAllAttributes(l);
      } else if (p instanceof SummaryDataPoint.Builder b) {
        c.writable(b, SummaryDataPoint.Builder.class).clearAttributes().addAllAttributes(l);
      } else {
        c.writable(p, NumberDataPoint.Builder.class);
      }
    }

    static long startTime(MessageOrBuilder p) {
      return (Long) field(p, "start_time_unix_nano", 0L);
    }

    static long time(MessageOrBuilder p) {
      return (Long) field(p, "time_unix_nano", 0L);
    }

    static int flags(MessageOrBuilder p) {
      return (Integer) field(p, "flags", 0);
    }

    static Object count(MessageOrBuilder p) {
      Object v = field(p, "count", null);
      return v == null ? null : ((Number) v).longValue();
    }

    static Object sum(MessageOrBuilder p) {
      return field(p, "sum", null);
    }

    static void setStartTime(RecordContext c, long v) {
      set(c, "start_time_unix_nano", v);
    }

    static void setTime(RecordContext c, long v) {
      set(c, "time_unix_nano", v);
    }

    static void setFlags(RecordContext c, long v) {
      set(c, "flags", (int) v);
    }

    // The rarely used point fields go through the descriptor: one path for four types.
    private static Object field(MessageOrBuilder p, String name, Object absent) {
      var f = p.getDescriptorForType().findFieldByName(name);
      return f == null ? absent : p.getField(f);
    }

    private static void set(RecordContext c, String name, Object v) {
      MessageOrBuilder p = c.dataPoint();
      com.google.protobuf.Message.Builder b = c.writable(p, com.google.protobuf.Message.Builder.class);
      var f = b.getDescriptorForType().findFieldByName(name);
      if (f != null) {
        b.setField(f, v);
      }
    }
  }

}
