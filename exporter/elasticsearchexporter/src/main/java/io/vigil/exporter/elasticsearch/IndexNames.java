package io.vigil.exporter.elasticsearch;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Where a record goes: the data stream {@code <type>-<dataset>-<namespace>} (dataset and
 * namespace from the record's or its resource's {@code data_stream.*} attributes, else the
 * config), or a dated index {@code <prefix>-<date>} when a fixed index is configured.
 */
final class IndexNames {

  static final String DATASET_ATTRIBUTE = "data_stream.dataset";
  static final String NAMESPACE_ATTRIBUTE = "data_stream.namespace";

  /** The destination of one record. {@code dataset} and {@code namespace} are null for dated. */
  record Target(String index, String type, String dataset, String namespace) {
    boolean isDataStream() {
      return dataset != null;
    }
  }

  private final String type;
  private final String datedPrefix;
  private final DateTimeFormatter dateFormat;
  private final String defaultDataset;
  private final String defaultNamespace;

  /**
   * @param type {@code logs} or {@code traces}
   * @param datedPrefix the configured fixed index ({@code logs_index}), empty for data streams
   */
  IndexNames(String type, String datedPrefix, String dateFormat, String dataset,
      String namespace) {
    this.type = type;
    this.datedPrefix = datedPrefix;
    this.dateFormat = DateTimeFormatter.ofPattern(dateFormat, Locale.ROOT).withZone(ZoneOffset.UTC);
    this.defaultDataset = dataset;
    this.defaultNamespace = namespace;
  }

  static IndexNames logs(ElasticsearchExporterConfig c) {
    return new IndexNames("logs", c.logsIndex, c.indexDateFormat, c.dataStream.dataset,
        c.dataStream.namespace);
  }

  static IndexNames traces(ElasticsearchExporterConfig c) {
    return new IndexNames("traces", c.tracesIndex, c.indexDateFormat, c.dataStream.dataset,
        c.dataStream.namespace);
  }

  boolean usesDataStreams() {
    return datedPrefix.isEmpty();
  }

  /** The index patterns the template for this type must cover. */
  String indexPattern() {
    return usesDataStreams() ? type + "-*-*" : datedPrefix + "-*";
  }

  Target target(long timeUnixNano, List<KeyValue> recordAttributes,
      List<KeyValue> resourceAttributes) {
    if (!usesDataStreams()) {
      Instant t = timeUnixNano > 0 ? Instant.ofEpochSecond(0, timeUnixNano) : Instant.now();
      return new Target(datedPrefix + "-" + dateFormat.format(t), type, null, null);
    }
    String dataset = pick(DATASET_ATTRIBUTE, recordAttributes, resourceAttributes,
        defaultDataset);
    String namespace = pick(NAMESPACE_ATTRIBUTE, recordAttributes, resourceAttributes,
        defaultNamespace);
    return new Target(type + "-" + dataset + "-" + namespace, type, dataset, namespace);
  }

  private static String pick(String key, List<KeyValue> record, List<KeyValue> resource,
      String fallback) {
    String v = stringValue(key, record);
    if (v == null) {
      v = stringValue(key, resource);
    }
    String clean = v == null ? "" : sanitize(v);
    return clean.isEmpty() ? fallback : clean;
  }

  private static String stringValue(String key, List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  /**
   * The value as Elasticsearch accepts it in a data stream name part: lower case, the
   * characters it forbids (and {@code -}, which separates the parts) replaced by {@code _},
   * at most 100 characters.
   */
  static String sanitize(String value) {
    StringBuilder b = new StringBuilder(Math.min(value.length(), 100));
    for (char ch : value.toLowerCase(Locale.ROOT).toCharArray()) {
      if (b.length() == 100) {
        break;
      }
      b.append("\\/*?\"<>| ,#:-".indexOf(ch) >= 0 ? '_' : ch);
    }
    return b.toString();
  }
}
