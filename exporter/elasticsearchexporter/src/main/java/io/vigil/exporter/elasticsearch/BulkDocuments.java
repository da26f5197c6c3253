package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Encodes an OTLP batch into bulk documents: JSON source, target index and a fresh _id. */
final class BulkDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RecordMapping mapping;
  private final IndexNames logIndices;
  private final IndexNames spanIndices;

  BulkDocuments(RecordMapping mapping, IndexNames logIndices, IndexNames spanIndices) {
    this.mapping = mapping;
    this.logIndices = logIndices;
    this.spanIndices = spanIndices;
  }

  List<BulkDocument> logs(ExportLogsServiceRequest batch) {
    List<BulkDocument> docs = new ArrayList<>();
    for (ResourceLogs rl : batch.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          IndexNames.Target t = logIndices.target(
              r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano(),
              r.getAttributesList(), rl.getResource().getAttributesList());
          docs.add(document(t, mapping.log(rl.getResource(), sl.getScope(), r)));
        }
      }
    }
    return docs;
  }

  List<BulkDocument> spans(ExportTraceServiceRequest batch) {
    List<BulkDocument> docs = new ArrayList<>();
    for (ResourceSpans rs : batch.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          IndexNames.Target t = spanIndices.target(s.getStartTimeUnixNano(),
              s.getAttributesList(), rs.getResource().getAttributesList());
          docs.add(document(t, mapping.span(rs.getResource(), ss.getScope(), s)));
        }
      }
    }
    return docs;
  }

  private static BulkDocument document(IndexNames.Target t, ObjectNode source) {
    if (t.isDataStream()) {
      // The data stream's own fields, which Kibana and the engine's built-in templates read.
      ObjectNode ds = source.putObject("data_stream");
      ds.put("type", t.type());
      ds.put("dataset", t.dataset());
      ds.put("namespace", t.namespace());
    }
    try {
      return new BulkDocument(t.index(), newId(), JSON.writeValueAsBytes(source));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that Jackson built cannot be written", e);
    }
  }

  /** 128 random bits, URL-safe: the same length of _id the engine generates itself. */
  static String newId() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
