package io.vigil.exporter.kafka;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.core.Signal;
import io.vigil.kafka.OtlpEncoding;
import io.vigil.pdata.TraceGrouping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one batch of a signal into the Kafka messages that carry it: the whole batch as one
 * keyless message, or, as the Collector does, one message per trace keyed by the trace ID in
 * hex ({@code partition_traces_by_id}) or one per resource keyed by a hash of its attributes
 * ({@code partition_*_by_resource_attributes}), so that everything of a trace, or of a
 * resource, lands in one partition and reaches one consumer. {@code topic_from_attribute}
 * routes each resource to the topic its attribute names.
 *
 * @param <T> the export request type
 */
final class MessageSplitter<T extends Message> {

  private final Signal<T> signal;
  private final String topic;
  private final OtlpEncoding encoding;
  private final boolean byTraceId;
  private final boolean byResource;
  private final String topicAttribute;

  MessageSplitter(Signal<T> signal, String topic, OtlpEncoding encoding, boolean byTraceId,
      boolean byResource, String topicAttribute) {
    this.signal = signal;
    this.topic = topic;
    this.encoding = encoding;
    this.byTraceId = byTraceId && signal == Signal.TRACES;
    this.byResource = byResource && !this.byTraceId;
    this.topicAttribute = topicAttribute == null ? "" : topicAttribute;
  }

  static <T extends Message> MessageSplitter<T> of(Signal<T> signal, KafkaExporterConfig c) {
    boolean byResource = signal == Signal.METRICS ? c.partitionMetricsByResourceAttributes
        : signal == Signal.LOGS && c.partitionLogsByResourceAttributes;
    return new MessageSplitter<>(signal, c.topic(signal), c.encoding(signal),
        c.partitionTracesById, byResource, c.topicFromAttribute);
  }

  List<KafkaMessage> split(T batch) {
    List<KafkaMessage> out = new ArrayList<>();
    if (signal.itemCount(batch) == 0 && !byTraceId && !byResource && topicAttribute.isEmpty()) {
      return out;
    }
    for (Map.Entry<String, T> byTopic : splitByTopic(batch).entrySet()) {
      String t = byTopic.getKey();
      T part = byTopic.getValue();
      if (byTraceId) {
        for (Map.Entry<ByteString, ExportTraceServiceRequest> e :
            TraceGrouping.byTraceId((ExportTraceServiceRequest) part).entrySet()) {
          out.add(new KafkaMessage(t, HexFormat.of().formatHex(e.getKey().toByteArray())
              .getBytes(StandardCharsets.UTF_8), encoding.encode(e.getValue())));
        }
      } else if (byResource) {
        addPerResource(out, t, ResourceShape.of(signal), part);
      } else if (signal.itemCount(part) > 0) {
        out.add(new KafkaMessage(t, null, encoding.encode(part)));
      }
    }
    return out;
  }

  private <R extends Message> void addPerResource(
      List<KafkaMessage> out, String t, ResourceShape<T, R> shape, T part) {
    for (R entry : shape.entries.apply(part)) {
      T one = shape.build.apply(List.of(entry));
      if (signal.itemCount(one) > 0) {
        out.add(new KafkaMessage(t, attributesHash(shape.resource.apply(entry)),
            encoding.encode(one)));
      }
    }
  }

  private Map<String, T> splitByTopic(T batch) {
    if (topicAttribute.isEmpty()) {
      return Map.of(topic, batch);
    }
    return groupByTopic(ResourceShape.of(signal), batch);
  }

  private <R extends Message> Map<String, T> groupByTopic(ResourceShape<T, R> shape, T batch) {
    Map<String, List<R>> groups = new LinkedHashMap<>();
    for (R entry : shape.entries.apply(batch)) {
      String t = topic;
      for (KeyValue kv : shape.resource.apply(entry).getAttributesList()) {
        if (kv.getKey().equals(topicAttribute) && kv.getValue().hasStringValue()
            && !kv.getValue().getStringValue().isEmpty()) {
          t = kv.getValue().getStringValue();
        }
      }
      groups.computeIfAbsent(t, k -> new ArrayList<>()).add(entry);
    }
    Map<String, T> out = new LinkedHashMap<>();
    groups.forEach((t, entries) -> out.put(t, shape.build.apply(entries)));
    return out;
  }

  /**
   * 16 bytes of SHA-256 over the resource's attributes sorted by key, so the same attributes
   * in any order give the same key, hence the same partition.
   */
  static byte[] attributesHash(Resource resource) {
    List<KeyValue> sorted = new ArrayList<>(resource.getAttributesList());
    sorted.sort(Comparator.comparing(KeyValue::getKey));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (KeyValue kv : sorted) {
        byte[] k = kv.getKey().getBytes(StandardCharsets.UTF_8);
        byte[] v = kv.getValue().toByteArray();
        sha.update(intBytes(k.length));
        sha.update(k);
        sha.update(intBytes(v.length));
        sha.update(v);
      }
      byte[] full = sha.digest();
      byte[] key = new byte[16];
      System.arraycopy(full, 0, key, 0, 16);
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static byte[] intBytes(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }
}
