package io.vigil.exporter.vigilstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * {@link TelemetryQuery} over the embedded store. Lookups (a trace, a log search) read the
 * matching documents' JSON; aggregations (services, series, patterns) read only doc values,
 * document by document, and compute exact percentiles.
 */
final class LuceneTelemetryQuery implements TelemetryQuery {

  /** More spans than this in one trace are not returned: a console cannot draw them anyway. */
  private static final int MAX_TRACE_ITEMS = 10_000;

  private final HourlyIndexes indexes;

  LuceneTelemetryQuery(HourlyIndexes indexes) {
    this.indexes = indexes;
  }

  @Override
  public Optional<TraceView> trace(String traceId) {
    String id = traceId.toLowerCase(java.util.Locale.ROOT);
    return indexes.search(null, searcher -> {
      List<StoredSpan> spans = read(searcher, and(type(LuceneDocuments.SPAN),
          term(LuceneDocuments.TRACE_ID, id)), MAX_TRACE_ITEMS, StoredSpan.class);
      List<StoredLog> logs = read(searcher, and(type(LuceneDocuments.LOG),
          term(LuceneDocuments.TRACE_ID, id)), MAX_TRACE_ITEMS, StoredLog.class);
      if (spans.isEmpty() && logs.isEmpty()) {
        return Optional.empty();
      }
      spans.sort(Comparator.comparingLong(StoredSpan::startNanos));
      logs.sort(Comparator.comparingLong(StoredLog::timeNanos));
      return Optional.of(new TraceView(id, spans, logs));
    });
  }

  @Override
  public List<StoredLog> logs(LogSearch s) {
    BooleanQuery.Builder q = new BooleanQuery.Builder()
        .add(type(LuceneDocuments.LOG), BooleanClause.Occur.FILTER)
        .add(time(s.range()), BooleanClause.Occur.FILTER);
    if (!s.service().isEmpty()) {
      q.add(term(LuceneDocuments.SERVICE, s.service()), BooleanClause.Occur.FILTER);
    }
    if (s.minSeverity() > 0) {
      q.add(IntPoint.newRangeQuery(LuceneDocuments.SEVERITY, s.minSeverity(), Integer.MAX_VALUE),
          BooleanClause.Occur.FILTER);
    }
    if (!s.traceId().isEmpty()) {
      q.add(term(LuceneDocuments.TRACE_ID, s.traceId()), BooleanClause.Occur.FILTER);
    }
    if (!s.templateId().isEmpty()) {
      q.add(term(LuceneDocuments.TEMPLATE_ID, s.templateId()), BooleanClause.Occur.FILTER);
    }
    for (String word : words(indexes.analyzer(), s.text())) {
      q.add(term(LuceneDocuments.BODY, word), BooleanClause.Occur.FILTER);
    }
    Sort newestFirst = new Sort(new SortField(LuceneDocuments.TIME, SortField.Type.LONG, true));
    return indexes.search(s.range(), searcher -> {
      try {
        TopDocs top = searcher.search(q.build(), s.limit(), newestFirst);
        return documents(searcher, top, StoredLog.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public List<LogPattern> patterns(TimeRange range, String service, int buckets, int limit) {
    BooleanQuery.Builder q = new BooleanQuery.Builder()
        .add(type(LuceneDocuments.LOG), BooleanClause.Occur.FILTER)
        .add(time(range), BooleanClause.Occur.FILTER)
        .add(new org.apache.lucene.search.FieldExistsQuery(LuceneDocuments.TEMPLATE_ID),
            BooleanClause.Occur.FILTER);
    if (service != null && !service.isEmpty()) {
      q.add(term(LuceneDocuments.SERVICE, service), BooleanClause.Occur.FILTER);
    }
    return indexes.search(range, searcher -> {
      Map<String, PatternCounts> byTemplate = new HashMap<>();
      collect(searcher, q.build(), new RowCollector() {
        SortedDocValues ids;
        SortedDocValues templates;
        SortedDocValues services;
        NumericDocValues times;

        @Override
        void leaf(LeafReaderContext c) throws IOException {
          ids = DocValues.getSorted(c.reader(), LuceneDocuments.TEMPLATE_ID);
          templates = DocValues.getSorted(c.reader(), LuceneDocuments.TEMPLATE);
          services = DocValues.getSorted(c.reader(), LuceneDocuments.SERVICE);
          times = DocValues.getNumeric(c.reader(), LuceneDocuments.TIME);
        }

        @Override
        void row(int doc, LeafReaderContext c) throws IOException {
          String id = string(ids, doc);
          PatternCounts p = byTemplate.get(id);
          if (p == null) {
            p = new PatternCounts(string(templates, doc), string(services, doc), buckets);
            p.sampleDoc = c.docBase + doc;
            byTemplate.put(id, p);
          }
          p.count++;
          int b = range.bucket(times.advanceExact(doc) ? times.longValue() : 0, buckets);
          if (b >= 0) {
            p.sparkline[b]++;
          }
        }
      });
      List<LogPattern> out = new ArrayList<>();
      try {
        StoredFields stored = searcher.storedFields();
        byTemplate.entrySet().stream()
            .sorted(Comparator.comparingLong(
                    (Map.Entry<String, PatternCounts> e) -> -e.getValue().count)
                .thenComparing(Map.Entry::getKey))
            .limit(limit)
            .forEach(e -> {
              PatternCounts p = e.getValue();
              String sample;
              try {
                sample = LuceneDocuments.read(stored.document(p.sampleDoc), StoredLog.class).body();
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
              out.add(new LogPattern(e.getKey(), p.template, p.service, p.count, p.sparkline,
                  sample));
            });
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return out;
    });
  }

  private static final class PatternCounts {
    final String template;
    final String service;
    final long[] sparkline;
    long count;
    int sampleDoc;

    PatternCounts(String template, String service, int buckets) {
      this.template = template;
      this.service = service;
      this.sparkline = new long[buckets];
    }
  }

  @Override
  public List<ServiceSummary> services(TimeRange range) {
    Map<String, SpanRows> byService = new TreeMap<>();
    entrySpans(range, "", (service, start, duration, failed, traceId) ->
        byService.computeIfAbsent(service, k -> new SpanRows()).add(duration, failed));
    List<ServiceSummary> out = new ArrayList<>();
    byService.forEach((service, rows) -> {
      Percentiles p = rows.percentiles();
      out.add(new ServiceSummary(service, rows.size, rows.errors, rows.size / range.seconds(),
          rows.size == 0 ? 0 : (double) rows.errors / rows.size, p.ms(0.5), p.ms(0.95),
          p.ms(0.99)));
    });
    return out;
  }

  @Override
  public ServiceSeries series(String service, TimeRange range, int buckets) {
    SpanRows[] rows = new SpanRows[buckets];
    for (int i = 0; i < buckets; i++) {
      rows[i] = new SpanRows();
    }
    entrySpans(range, service, (s, start, duration, failed, traceId) -> {
      int b = range.bucket(start, buckets);
      if (b >= 0) {
        rows[b].add(duration, failed);
        if (duration >= rows[b].slowest) {
          rows[b].slowest = duration;
          rows[b].slowestTrace = traceId.get();
        }
      }
    });
    long width = range.bucketNanos(buckets);
    List<ServiceSeries.Bucket> out = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      SpanRows r = rows[i];
      Percentiles p = r.percentiles();
      out.add(new ServiceSeries.Bucket(range.fromNanos() + i * width, r.size, r.errors,
          p.ms(0.5), p.ms(0.95), p.ms(0.99), r.slowestTrace, r.size == 0 ? 0 : r.slowest / 1e6));
    }
    return new ServiceSeries(service, width, out);
  }

  @Override
  public List<MetricSummary> metrics(String service, TimeRange range) {
    Query q = new BooleanQuery.Builder()
        .add(type(LuceneDocuments.METRIC), BooleanClause.Occur.FILTER)
        .add(term(LuceneDocuments.SERVICE, service), BooleanClause.Occur.FILTER)
        .add(time(range), BooleanClause.Occur.FILTER).build();
    Map<String, long[]> points = new TreeMap<>();
    Map<String, java.util.Set<String>> series = new HashMap<>();
    java.util.Set<String> scored = new java.util.HashSet<>();
    indexes.search(range, searcher -> collect(searcher, q, new RowCollector() {
      SortedDocValues names;
      SortedDocValues lines;
      SortedDocValues scoreOf;

      @Override
      void leaf(LeafReaderContext c) throws IOException {
        names = DocValues.getSorted(c.reader(), LuceneDocuments.METRIC_NAME);
        lines = DocValues.getSorted(c.reader(), LuceneDocuments.SERIES);
        scoreOf = DocValues.getSorted(c.reader(), LuceneDocuments.SCORE_OF);
      }

      @Override
      void row(int doc, LeafReaderContext c) throws IOException {
        String of = string(scoreOf, doc);
        if (!of.isEmpty()) {
          scored.add(of);
          return;
        }
        String name = string(names, doc);
        if (name.isEmpty()) {
          return; // written before metric charts existed
        }
        points.computeIfAbsent(name, k -> new long[1])[0]++;
        series.computeIfAbsent(name, k -> new java.util.HashSet<>()).add(string(lines, doc));
      }
    }));
    List<MetricSummary> out = new ArrayList<>();
    points.forEach((name, n) -> out.add(new MetricSummary(name, n[0], series.get(name).size(),
        scored.contains(name))));
    return out;
  }

  @Override
  public MetricChart metricChart(String service, String metric, TimeRange range, int buckets,
      int maxLines) {
    Query either = new BooleanQuery.Builder()
        .add(term(LuceneDocuments.METRIC_NAME, metric), BooleanClause.Occur.SHOULD)
        .add(term(LuceneDocuments.SCORE_OF, metric), BooleanClause.Occur.SHOULD).build();
    Query q = new BooleanQuery.Builder()
        .add(type(LuceneDocuments.METRIC), BooleanClause.Occur.FILTER)
        .add(term(LuceneDocuments.SERVICE, service), BooleanClause.Occur.FILTER)
        .add(time(range), BooleanClause.Occur.FILTER)
        .add(either, BooleanClause.Occur.FILTER).build();
    Map<String, LinePoints> byLine = new TreeMap<>();
    indexes.search(range, searcher -> collect(searcher, q, new RowCollector() {
      SortedDocValues lines;
      SortedDocValues scoreOf;
      NumericDocValues times;
      NumericDocValues values;

      @Override
      void leaf(LeafReaderContext c) throws IOException {
        lines = DocValues.getSorted(c.reader(), LuceneDocuments.SERIES);
        scoreOf = DocValues.getSorted(c.reader(), LuceneDocuments.SCORE_OF);
        times = DocValues.getNumeric(c.reader(), LuceneDocuments.TIME);
        values = DocValues.getNumeric(c.reader(), LuceneDocuments.METRIC_VALUE);
      }

      @Override
      void row(int doc, LeafReaderContext c) throws IOException {
        int b = range.bucket(times.advanceExact(doc) ? times.longValue() : 0, buckets);
        if (b < 0 || !values.advanceExact(doc)) {
          return;
        }
        double v = Double.longBitsToDouble(values.longValue());
        LinePoints line = byLine.computeIfAbsent(string(lines, doc),
            k -> new LinePoints(buckets));
        if (string(scoreOf, doc).isEmpty()) {
          line.sums[b] += v;
          line.counts[b]++;
          line.points++;
        } else {
          line.scored = true;
          line.scores[b] = Math.max(line.scores[b], v);
        }
      }
    }));
    long width = range.bucketNanos(buckets);
    List<Long> starts = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      starts.add(range.fromNanos() + i * width);
    }
    // The lines with most points; a score without its metric's points is not drawn.
    List<Map.Entry<String, LinePoints>> kept = byLine.entrySet().stream()
        .filter(e -> e.getValue().points > 0)
        .sorted(Comparator.comparingLong((Map.Entry<String, LinePoints> e) -> -e.getValue().points)
            .thenComparing(Map.Entry::getKey))
        .toList();
    List<MetricChart.Line> out = new ArrayList<>();
    kept.stream().limit(maxLines).sorted(Map.Entry.comparingByKey()).forEach(e -> {
      LinePoints l = e.getValue();
      List<Double> values = new ArrayList<>(buckets);
      List<Double> scores = new ArrayList<>(l.scored ? buckets : 0);
      for (int i = 0; i < buckets; i++) {
        values.add(l.counts[i] == 0 ? null : l.sums[i] / l.counts[i]);
        if (l.scored) {
          scores.add(l.scores[i] < 0 ? null : l.scores[i]);
        }
      }
      out.add(new MetricChart.Line(e.getKey(), values, scores));
    });
    return new MetricChart(service, metric, width, starts, out,
        Math.max(0, kept.size() - maxLines));
  }

  /** One line of a metric chart while it is read: sums and counts per bucket, top scores. */
  private static final class LinePoints {
    final double[] sums;
    final long[] counts;
    final double[] scores;
    long points;
    boolean scored;

    LinePoints(int buckets) {
      sums = new double[buckets];
      counts = new long[buckets];
      scores = new double[buckets];
      java.util.Arrays.fill(scores, -1);
    }
  }

  /** Metric points of one metric (of one service when not empty) in the range, oldest first. */
  List<StoredMetricPoint> metricPoints(String name, String service, TimeRange range, int limit) {
    BooleanQuery.Builder q = new BooleanQuery.Builder()
        .add(type(LuceneDocuments.METRIC), BooleanClause.Occur.FILTER)
        .add(term(LuceneDocuments.NAME, name), BooleanClause.Occur.FILTER)
        .add(time(range), BooleanClause.Occur.FILTER);
    if (!service.isEmpty()) {
      q.add(term(LuceneDocuments.SERVICE, service), BooleanClause.Occur.FILTER);
    }
    Sort oldestFirst = new Sort(new SortField(LuceneDocuments.TIME, SortField.Type.LONG));
    return indexes.search(range, searcher -> {
      try {
        return documents(searcher, searcher.search(q.build(), limit, oldestFirst),
            StoredMetricPoint.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Durations and failures of a set of spans, growing as they are read. */
  private static final class SpanRows {
    long[] durations = new long[16];
    int size;
    long errors;
    long slowest = -1;
    String slowestTrace = "";

    void add(long duration, boolean failed) {
      if (size == durations.length) {
        durations = java.util.Arrays.copyOf(durations, size * 2);
      }
      durations[size++] = duration;
      if (failed) {
        errors++;
      }
    }

    Percentiles percentiles() {
      return new Percentiles(durations, size);
    }
  }

  @FunctionalInterface
  private interface SpanRow {
    /** {@code traceId} is read only when asked for: most rows never need it. */
    void accept(String service, long start, long duration, boolean failed,
        java.util.function.Supplier<String> traceId);
  }

  private void entrySpans(TimeRange range, String service, SpanRow row) {
    BooleanQuery.Builder q = new BooleanQuery.Builder()
        .add(type(LuceneDocuments.SPAN), BooleanClause.Occur.FILTER)
        .add(term(LuceneDocuments.ENTRY, "true"), BooleanClause.Occur.FILTER)
        .add(time(range), BooleanClause.Occur.FILTER);
    if (!service.isEmpty()) {
      q.add(term(LuceneDocuments.SERVICE, service), BooleanClause.Occur.FILTER);
    }
    indexes.search(range, searcher -> collect(searcher, q.build(), new RowCollector() {
      SortedDocValues services;
      SortedDocValues traces;
      NumericDocValues starts;
      NumericDocValues durations;
      NumericDocValues failed;

      @Override
      void leaf(LeafReaderContext c) throws IOException {
        services = DocValues.getSorted(c.reader(), LuceneDocuments.SERVICE);
        traces = DocValues.getSorted(c.reader(), LuceneDocuments.TRACE_ID);
        starts = DocValues.getNumeric(c.reader(), LuceneDocuments.TIME);
        durations = DocValues.getNumeric(c.reader(), LuceneDocuments.DURATION);
        failed = DocValues.getNumeric(c.reader(), LuceneDocuments.FAILED);
      }

      @Override
      void row(int doc, LeafReaderContext c) throws IOException {
        long start = starts.advanceExact(doc) ? starts.longValue() : 0;
        long duration = durations.advanceExact(doc) ? durations.longValue() : 0;
        boolean fail = failed.advanceExact(doc) && failed.longValue() == 1;
        row.accept(string(services, doc), start, duration, fail, () -> {
          try {
            return string(traces, doc);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }));
  }

  /** Visits every matching document, leaf by leaf, without scoring. */
  private abstract static class RowCollector extends SimpleCollector {
    private LeafReaderContext context;

    abstract void leaf(LeafReaderContext c) throws IOException;

    abstract void row(int doc, LeafReaderContext c) throws IOException;

    @Override
    protected void doSetNextReader(LeafReaderContext c) throws IOException {
      context = c;
      leaf(c);
    }

    @Override
    public void collect(int doc) throws IOException {
      row(doc, context);
    }

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }
  }

  private static Void collect(IndexSearcher searcher, Query q, RowCollector c) {
    try {
      searcher.search(q, c);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String string(SortedDocValues values, int doc) throws IOException {
    return values.advanceExact(doc) ? values.lookupOrd(values.ordValue()).utf8ToString() : "";
  }

  private static <T> List<T> read(IndexSearcher searcher, Query q, int max, Class<T> type) {
    try {
      return documents(searcher, searcher.search(q, max), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> List<T> documents(IndexSearcher searcher, TopDocs top, Class<T> type) {
    try {
      StoredFields stored = searcher.storedFields();
      List<T> out = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc d : top.scoreDocs) {
        out.add(LuceneDocuments.read(stored.document(d.doc), type));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Query type(String type) {
    return term(LuceneDocuments.TYPE, type);
  }

  private static Query term(String field, String value) {
    return new TermQuery(new Term(field, value));
  }

  private static Query and(Query a, Query b) {
    return new BooleanQuery.Builder().add(a, BooleanClause.Occur.FILTER)
        .add(b, BooleanClause.Occur.FILTER).build();
  }

  private static Query time(TimeRange r) {
    return LongPoint.newRangeQuery(LuceneDocuments.TIME, r.fromNanos(), r.toNanos() - 1);
  }

  /** The body's analyzer applied to the search text, so words match as they were indexed. */
  static List<String> words(Analyzer analyzer, String text) {
    List<String> out = new ArrayList<>();
    if (text.isBlank()) {
      return out;
    }
    try (TokenStream ts = analyzer.tokenStream(LuceneDocuments.BODY, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
