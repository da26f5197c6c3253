package io.vigil.exporter.vigilstore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;

/**
 * How records become Lucene documents. The whole record is kept as JSON in {@link #SOURCE}
 * (what queries return, as Elasticsearch keeps {@code _source}); the fields below it exist only
 * to find, sort and aggregate: terms for IDs, points for ranges, doc values for sorting and for
 * reading many documents' values without loading their JSON.
 */
final class LuceneDocuments {

  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static final String TYPE = "type";
  static final String SPAN = "span";
  static final String LOG = "log";
  static final String METRIC = "metric";
  static final String SOURCE = "source";
  static final String TIME = "time";
  static final String SERVICE = "service";
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String NAME = "name";
  static final String ENTRY = "entry";
  static final String FAILED = "failed";
  static final String DURATION = "duration";
  static final String SEVERITY = "severity";
  static final String BODY = "body";
  static final String TEMPLATE_ID = "template_id";
  static final String TEMPLATE = "template";
  static final String VALUE = "value";
  /**
   * A metric's name and value read per document for charts. Fields of their own, not
   * {@link #NAME} / {@link #VALUE} with doc values added: Lucene requires one schema per field in
   * an index, and spans' names (and indexes written before charts existed) have none.
   */
  static final String METRIC_NAME = "metric_name";
  static final String METRIC_VALUE = "metric_value";
  /** A metric point's attributes as one string: which line of its metric's chart it is on. */
  static final String SERIES = "series";
  /**
   * For an anomaly score point: the metric it scores (its {@code metric.name} attribute, as the
   * {@code anomaly} connector emits scores), so a chart finds the scores of its metric.
   */
  static final String SCORE_OF = "score_of";
  static final String SCORED_METRIC_ATTRIBUTE = "metric.name";

  /** Doc values of a keyword must stay below Lucene's 32 KiB term limit. */
  private static final int MAX_SORTED_CHARS = 1000;

  private LuceneDocuments() {}

  static Document span(StoredSpan s) {
    Document d = common(SPAN, s.service(), s.startNanos(), s);
    keyword(d, TRACE_ID, s.traceId());
    d.add(new StringField(SPAN_ID, s.spanId(), Field.Store.NO));
    d.add(new StringField(NAME, s.name(), Field.Store.NO));
    d.add(new StringField(ENTRY, String.valueOf(s.entry()), Field.Store.NO));
    d.add(new NumericDocValuesField(FAILED, s.failed() ? 1 : 0));
    d.add(new NumericDocValuesField(DURATION, s.durationNanos()));
    return d;
  }

  static Document log(StoredLog r) {
    Document d = common(LOG, r.service(), r.timeNanos(), r);
    keyword(d, TRACE_ID, r.traceId());
    d.add(new StringField(SPAN_ID, r.spanId(), Field.Store.NO));
    d.add(new IntPoint(SEVERITY, r.severityNumber()));
    d.add(new TextField(BODY, r.body(), Field.Store.NO));
    if (!r.templateId().isEmpty()) {
      keyword(d, TEMPLATE_ID, r.templateId());
      d.add(new SortedDocValuesField(TEMPLATE, new BytesRef(truncate(r.template()))));
    }
    return d;
  }

  static Document metric(StoredMetricPoint p) {
    Document d = common(METRIC, p.service(), p.timeNanos(), p);
    d.add(new StringField(NAME, p.name(), Field.Store.NO));
    d.add(new DoublePoint(VALUE, p.value()));
    keyword(d, METRIC_NAME, p.name());
    d.add(new DoubleDocValuesField(METRIC_VALUE, p.value()));
    Map<String, Object> attributes = new TreeMap<>(p.attributes());
    Object scored = attributes.remove(SCORED_METRIC_ATTRIBUTE);
    // Without metric.name, a score's attributes are those of the series it scores.
    keyword(d, SERIES, attributes.isEmpty() ? "" : attributes.toString());
    if (scored != null) {
      keyword(d, SCORE_OF, scored.toString());
    }
    return d;
  }

  static <T> T read(Document d, Class<T> type) {
    try {
      return JSON.readValue(d.getBinaryValue(SOURCE).bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable stored " + type.getSimpleName(), e);
    }
  }

  private static Document common(String type, String service, long time, Object record) {
    Document d = new Document();
    d.add(new StringField(TYPE, type, Field.Store.NO));
    keyword(d, SERVICE, service);
    d.add(new LongPoint(TIME, time));
    d.add(new NumericDocValuesField(TIME, time));
    try {
      d.add(new StoredField(SOURCE, JSON.writeValueAsBytes(record)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return d;
  }

  /** Searchable by term and readable per document as doc values. */
  private static void keyword(Document d, String field, String value) {
    d.add(new StringField(field, value, Field.Store.NO));
    d.add(new SortedDocValuesField(field, new BytesRef(truncate(value))));
  }

  private static String truncate(String s) {
    return s.length() <= MAX_SORTED_CHARS ? s : s.substring(0, MAX_SORTED_CHARS);
  }
}
