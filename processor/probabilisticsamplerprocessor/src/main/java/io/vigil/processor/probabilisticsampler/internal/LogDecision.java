package io.vigil.processor.probabilisticsampler.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One log record's sampling decision, as the Collector's logs processor makes it. Randomness
 * comes from the trace ID (attribute_source: traceID) or, when that is absent or
 * attribute_source is record, from hashing the {@code from_attribute} attribute. The record
 * carries its threshold and randomness as the attributes {@code sampling.threshold} and
 * {@code sampling.randomness}. The {@code sampling_priority} attribute, when configured and
 * present, is a percentage: 0 drops the record, a higher one can only raise the probability.
 */
public final class LogDecision {
  static final String THRESHOLD_ATTR = "sampling.threshold";
  static final String RANDOMNESS_ATTR = "sampling.randomness";

  private final Sampler sampler;
  private final boolean failClosed;
  private final boolean traceIdSource;
  private final String fromAttribute;
  private final String priorityAttribute;
  private final int precision;

  public LogDecision(Sampler sampler, boolean failClosed, boolean traceIdSource, String fromAttribute,
      String priorityAttribute, int precision) {
    this.sampler = sampler;
    this.failClosed = failClosed;
    this.traceIdSource = traceIdSource;
    this.fromAttribute = fromAttribute == null || fromAttribute.isEmpty() ? null : fromAttribute;
    this.priorityAttribute =
        priorityAttribute == null || priorityAttribute.isEmpty() ? null : priorityAttribute;
    this.precision = precision;
  }

  /** Null to drop the record; otherwise the record to send (itself when nothing changed). */
  public LogRecord decide(LogRecord r) {
    Double priority = priority(r);
    if (priority != null && priority == 0) {
      return null;
    }
    String thText = stringAttr(r, THRESHOLD_ATTR);
    String rvText = stringAttr(r, RANDOMNESS_ATTR);
    Threshold arriving = thText == null ? null : Threshold.parse(thText);
    long explicit = rvText == null ? -1 : Randomness.parseRValue(rvText);
    if (thText != null && arriving == null || rvText != null && explicit < 0) {
      return failClosed ? null : r;
    }
    long randomness = -1;
    boolean setRandomness = false;
    if (sampler.hashing()) {
      if (explicit >= 0 || arriving != null) {
        return failClosed ? null : r;
      }
      if (traceIdSource) {
        randomness = Randomness.ofHash(r.getTraceId().toByteArray(), sampler.hashSeed());
      } else if (fromAttribute != null) {
        byte[] b = attributeBytes(r, fromAttribute);
        randomness = b == null ? -1 : Randomness.ofHash(b, sampler.hashSeed());
      }
      setRandomness = randomness >= 0;
    } else if (explicit >= 0) {
      randomness = explicit;
    } else if (traceIdSource && !Randomness.isEmptyTraceId(r.getTraceId())) {
      randomness = Randomness.ofTraceId(r.getTraceId());
    } else if (fromAttribute != null) {
      byte[] b = attributeBytes(r, fromAttribute);
      if (b != null) {
        randomness = Randomness.ofHash(b, sampler.hashSeed());
        setRandomness = true;
      }
    }
    if (randomness < 0) {
      return failClosed ? null : r;
    }
    if (arriving != null && !arriving.shouldSample(randomness)) {
      return failClosed ? null : withoutAttribute(r, THRESHOLD_ATTR);
    }
    Threshold threshold = sampler.decide(arriving);
    if (priority != null) {
      Threshold raised = Threshold.ofProbability(Math.min(priority, 100) / 100, precision);
      if (raised != null && raised.unsigned() < threshold.unsigned()) {
        threshold = raised;
      }
    }
    if (!threshold.shouldSample(randomness)) {
      return null;
    }
    LogRecord.Builder out = r.toBuilder();
    if (arriving == null || threshold.unsigned() >= arriving.unsigned()) {
      put(out, THRESHOLD_ATTR, threshold.tvalue());
    }
    if (setRandomness) {
      put(out, RANDOMNESS_ATTR, Randomness.rvalue(randomness));
    }
    LogRecord built = out.build();
    return built.equals(r) ? r : built;
  }

  private Double priority(LogRecord r) {
    if (priorityAttribute == null) {
      return null;
    }
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals(priorityAttribute)) {
        AnyValue v = kv.getValue();
        return switch (v.getValueCase()) {
          case INT_VALUE -> (double) v.getIntValue();
          case DOUBLE_VALUE -> v.getDoubleValue();
          default -> null;
        };
      }
    }
    return null;
  }

  private static String stringAttr(LogRecord r, String key) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  /** The attribute's bytes to hash: UTF-8 of a string, raw bytes, else its protobuf encoding. */
  private static byte[] attributeBytes(LogRecord r, String key) {
    for (KeyValue kv : r.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        AnyValue v = kv.getValue();
        return switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValue().getBytes(StandardCharsets.UTF_8);
          case BYTES_VALUE -> v.getBytesValue().toByteArray();
          default -> v.toByteArray();
        };
      }
    }
    return null;
  }

  private static void put(LogRecord.Builder b, String key, String value) {
    List<KeyValue> attrs = new ArrayList<>(b.getAttributesList());
    KeyValue kv = KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
    boolean replaced = false;
    for (int i = 0; i < attrs.size(); i++) {
      if (attrs.get(i).getKey().equals(key)) {
        attrs.set(i, kv);
        replaced = true;
      }
    }
    if (!replaced) {
      attrs.add(kv);
    }
    b.clearAttributes().addAllAttributes(attrs);
  }

  private static LogRecord withoutAttribute(LogRecord r, String key) {
    LogRecord.Builder b = r.toBuilder().clearAttributes();
    r.getAttributesList().stream().filter(kv -> !kv.getKey().equals(key)).forEach(b::addAttributes);
    return b.build();
  }
}
