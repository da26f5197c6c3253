package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The composable index templates ({@code PUT _index_template/<name>}) the exporter installs:
 * the mode's mappings, the data stream flag when writing to data streams, and on
 * Elasticsearch the ILM policy setting (OpenSearch's ISM attaches by its own ism_template).
 */
final class IndexTemplates {

  private static final ObjectMapper JSON = new ObjectMapper();

  private IndexTemplates() {}

  /** The mappings of a mode, as installed: from the classpath resource next to this class. */
  static ObjectNode mappings(RecordMapping mapping) {
    try (InputStream in = IndexTemplates.class.getResourceAsStream(mapping.mappingsResource())) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + mapping.mappingsResource());
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code vigil-logs} or {@code vigil-traces}. */
  static String name(String type) {
    return "vigil-" + type;
  }

  static ObjectNode template(RecordMapping mapping, IndexNames names, int priority,
      Distribution distribution, RetentionPolicy retention) {
    ObjectNode t = AnyValues.JSON.objectNode();
    t.putArray("index_patterns").add(names.indexPattern());
    t.put("priority", priority);
    if (names.usesDataStreams()) {
      t.putObject("data_stream");
    }
    ObjectNode inner = t.putObject("template");
    ObjectNode settings = inner.putObject("settings");
    if (retention != null && distribution == Distribution.ELASTICSEARCH) {
      settings.put("index.lifecycle.name", retention.name());
    }
    inner.set("mappings", mappings(mapping));
    t.putObject("_meta").put("managed_by", "vigil elasticsearch exporter");
    return t;
  }
}
