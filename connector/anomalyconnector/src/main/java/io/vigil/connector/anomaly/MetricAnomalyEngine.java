package io.vigil.connector.anomaly;

import io.vigil.pdata.Attributes;
import io.vigil.analysis.anomaly.RollingWindow;
import io.vigil.analysis.anomaly.SeriesDetector;
import io.vigil.analysis.onnx.OnnxModel;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Scores every numeric point of every metric series (name, resource and point attributes) and
 * turns the results into a score metric per point and an anomaly event (a log record) per
 * point at or above the threshold. Not thread-safe; the connector serialises batches.
 */
final class MetricAnomalyEngine {

  /** What one metrics batch gave. */
  record Output(ExportMetricsServiceRequest scores, ExportLogsServiceRequest events) {}

  static final String SCOPE = "io.vigil.anomaly";

  private final MetricAnomalyConfig config;
  private final Executor refitter;
  private final ModelWatcher model;
  private final Map<String, SeriesState> series;
  private final MetricNameFilter names;
  /** Values a model's input scaling (median, IQR) is taken from, and windows between rescales. */
  private static final int SCALING_HISTORY = 2000;
  private static final int RESCALE_EVERY = 500;
  /** Runs in a batch just before the model scores it: tests hold a batch there. */
  volatile Runnable beforeModelScores = () -> {};

  private final class SeriesState {
    final SeriesDetector detector;
    final RollingWindow values;
    /** The latest values, a ring; grows to the window a model asks for. */
    double[] recent = new double[64];
    int recentNext;
    int held;
    double scaleCenter = Double.NaN;
    double scale = 1;
    int sinceScale;
    int scaledOn;
    boolean hasPrevious;
    double previousValue;
    double previousCount;
    long previousTime;
    final ArrayDeque<String> traces = new ArrayDeque<>();

    SeriesState() {
      detector = config.detector.create(refitter);
      values = new RollingWindow(SCALING_HISTORY);
    }

    /** The detector's input for this point, or NaN when the point gives none (a reset...). */
    double input(SeriesValue v) {
      if (hasPrevious && v.timeNanos() <= previousTime) {
        return Double.NaN;
      }
      double in = switch (v.kind()) {
        case LEVEL -> v.value();
        case DELTA_COUNTER -> v.timeNanos() > v.startNanos()
            ? v.value() / ((v.timeNanos() - v.startNanos()) / 1e9) : Double.NaN;
        case DELTA_MEAN -> v.count() > 0 ? v.value() / v.count() : Double.NaN;
        case CUMULATIVE_COUNTER -> hasPrevious && v.value() >= previousValue
            ? (v.value() - previousValue) / ((v.timeNanos() - previousTime) / 1e9) : Double.NaN;
        case CUMULATIVE_MEAN -> hasPrevious && v.count() > previousCount
            && v.value() >= previousValue
            ? (v.value() - previousValue) / (v.count() - previousCount) : Double.NaN;
      };
      hasPrevious = true;
      previousValue = v.value();
      previousCount = v.count();
      previousTime = v.timeNanos();
      return in;
    }

    void remember(double x, List<ByteString> exemplarTraces) {
      values.add(x);
      recent[recentNext] = x;
      recentNext = (recentNext + 1) % recent.length;
      held = Math.min(held + 1, recent.length);
      for (ByteString t : exemplarTraces) {
        traces.addLast(hex(t));
        if (traces.size() > config.exampleTraces) {
          traces.removeFirst();
        }
      }
    }

    /**
     * The last n values, oldest first, scaled by the series' median and IQR, or null if fewer
     * are held. A window longer than the values kept so far makes room for it, and the series
     * is fed from its n-th value on.
     */
    float[] features(int n) {
      if (n > recent.length) {
        double[] grown = new double[n];
        for (int i = 0; i < held; i++) {
          grown[i] = recent[(recentNext - held + i + recent.length) % recent.length];
        }
        recent = grown;
        recentNext = held % grown.length;
      }
      if (held < n || values.size() < 10) {
        return null;
      }
      // Refitted every RESCALE_EVERY windows, and whenever the history has doubled since, so a
      // young series is not judged for long by the few values it started with.
      if (Double.isNaN(scaleCenter) || ++sinceScale >= RESCALE_EVERY
          || values.size() >= 2 * scaledOn) {
        scaleCenter = values.quantile(0.5);
        double iqr = values.quantile(0.75) - values.quantile(0.25);
        scale = iqr > 0 ? iqr : Math.abs(scaleCenter) * 1e-3 + 1e-9;
        sinceScale = 0;
        scaledOn = values.size();
      }
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        int at = (recentNext - n + i + recent.length) % recent.length;
        f[i] = (float) ((recent[at] - scaleCenter) / scale);
      }
      return f;
    }
  }

  MetricAnomalyEngine(MetricAnomalyConfig config, Executor refitter, ModelWatcher model) {
    this.config = config;
    this.refitter = refitter;
    this.model = model;
    this.names = new MetricNameFilter(config.metrics);
    this.series = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, SeriesState> eldest) {
        return size() > config.maxSeries;
      }
    };
  }

  int seriesCount() {
    return series.size();
  }

  /** A point waiting for its score. */
  private record Pending(ResourceMetrics resource, Metric metric, SeriesValue point,
      SeriesState state, double input, float[] features, long windowStart) {}

  Output process(ExportMetricsServiceRequest batch) {
    // Held for the whole batch: a reload or shutdown meanwhile leaves it open until release.
    OnnxModel byo = model == null ? null : model.acquire();
    try {
      return process(batch, byo);
    } finally {
      if (byo != null) {
        byo.release();
      }
    }
  }

  private Output process(ExportMetricsServiceRequest batch, OnnxModel byo) {
    List<Pending> pending = new ArrayList<>();
    for (ResourceMetrics rm : batch.getResourceMetricsList()) {
      String resourceKey = key(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (!names.scores(m.getName())) {
            continue;
          }
          for (SeriesValue p : SeriesValue.of(m)) {
            String k = m.getName() + '\u0000' + resourceKey + '\u0000' + key(p.attributes());
            SeriesState s = series.computeIfAbsent(k, x -> new SeriesState());
            long windowStart = windowStart(s, p);
            double in = s.input(p);
            if (Double.isNaN(in) || Double.isInfinite(in)) {
              continue;
            }
            s.remember(in, p.traceIds());
            float[] f = byo == null ? null : s.features(byo.features());
            pending.add(new Pending(rm, m, p, s, in, f, windowStart));
          }
        }
      }
    }
    List<Map<String, Object>> explanations = new ArrayList<>(pending.size());
    double[] scores = score(pending, byo, explanations);
    return new Output(scoreMetrics(pending, scores), events(pending, scores, byo,
        explanations));
  }

  /**
   * Start of the interval a point's reading describes: a delta point's own start (its interval),
   * else the series' previous point. Not the previous point for a delta: a series that was
   * silent (a log template quiet for an hour, whose counts stopped) and comes back would date
   * its anomaly to the start of the silence, an hour before anything happened.
   */
  private static long windowStart(SeriesState s, SeriesValue p) {
    boolean delta = p.kind() == SeriesValue.Kind.DELTA_COUNTER
        || p.kind() == SeriesValue.Kind.DELTA_MEAN;
    if (delta && p.startNanos() > 0 && p.startNanos() < p.timeNanos()) {
      return p.startNanos();
    }
    return s.hasPrevious ? s.previousTime : p.timeNanos();
  }

  /** Scores every point; {@code explanations} receives, per point, what the detector saw. */
  private double[] score(List<Pending> pending, OnnxModel byo,
      List<Map<String, Object>> explanations) {
    double[] scores = new double[pending.size()];
    boolean scored = false;
    if (byo != null) {
      List<float[]> rows = new ArrayList<>();
      for (Pending p : pending) {
        if (p.features() != null) {
          rows.add(p.features());
        }
      }
      try {
        beforeModelScores.run();
        float[] out = rows.isEmpty() ? new float[0] : byo.score(rows.toArray(new float[0][]));
        int r = 0;
        for (int i = 0; i < scores.length; i++) {
          scores[i] = pending.get(i).features() == null ? 0 : out[r++];
        }
        scored = true;
      } catch (RuntimeException e) {
        model.scoringFailed(e);
      }
    }
    if (!scored) {
      for (int i = 0; i < scores.length; i++) {
        Pending p = pending.get(i);
        scores[i] = p.state().detector.update(p.point().timeNanos(), p.input());
        explanations.add(p.state().detector.explain());
      }
    } else {
      // The built-in forests keep learning, so a later fallback starts from a fitted model.
      for (Pending p : pending) {
        p.state().detector.update(p.point().timeNanos(), p.input());
      }
    }
    return scores;
  }

  private double threshold(OnnxModel byo) {
    if (config.threshold >= 0) {
      return config.threshold;
    }
    if (byo != null) {
      String t = byo.metadata().get("vigil.threshold");
      if (t != null) {
        try {
          return Double.parseDouble(t);
        } catch (NumberFormatException ignored) {
          // An unreadable threshold falls back to the default below.
        }
      }
      return 0.5;
    }
    return config.detector.alarmLevel();
  }

  private ExportMetricsServiceRequest scoreMetrics(List<Pending> pending, double[] scores) {
    Map<ResourceMetrics, Gauge.Builder> byResource = new LinkedHashMap<>();
    for (int i = 0; i < scores.length; i++) {
      Pending p = pending.get(i);
      NumberDataPoint.Builder point = NumberDataPoint.newBuilder()
          .setTimeUnixNano(p.point().timeNanos())
          .setAsDouble(scores[i])
          .addAttributes(Attributes.string("metric.name", p.metric().getName()))
          .addAllAttributes(p.point().attributes());
      byResource.computeIfAbsent(p.resource(), r -> Gauge.newBuilder()).addDataPoints(point);
    }
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    byResource.forEach((rm, gauge) -> out.addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(rm.getResource())
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(SCOPE))
            .addMetrics(Metric.newBuilder().setName(config.scoreMetric).setUnit("1")
                .setDescription("Anomaly score of the series named by metric.name, 0 to 1")
                .setGauge(gauge)))));
    return out.build();
  }

  private ExportLogsServiceRequest events(List<Pending> pending, double[] scores,
      OnnxModel byo, List<Map<String, Object>> explanations) {
    // Explanations exist only when the built-in detector scored (no model, or the model
    // failed on this batch): its threshold applies then, not the model's.
    double threshold = threshold(explanations.isEmpty() ? byo : null);
    Map<Resource, ScopeLogs.Builder> byResource = new LinkedHashMap<>();
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] < threshold) {
        continue;
      }
      Pending p = pending.get(i);
      Resource resource = p.resource().getResource();
      byResource.computeIfAbsent(resource, r -> ScopeLogs.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName(SCOPE)))
          .addLogRecords(event(p, scores[i], explanations.isEmpty() ? null
              : explanations.get(i)));
    }
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    byResource.forEach((r, scope) -> out.addResourceLogs(
        ResourceLogs.newBuilder().setResource(r).addScopeLogs(scope)));
    return out.build();
  }

  /** @param explained what the built-in detector saw, or null when a model scored the point */
  private LogRecord event(Pending p, double score, Map<String, Object> explained) {
    boolean byo = explained == null;
    String service = "unknown_service";
    for (KeyValue kv : p.resource().getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        service = kv.getValue().getStringValue();
      }
    }
    String seriesName = p.metric().getName() + (p.point().attributes().isEmpty() ? ""
        : "{" + key(p.point().attributes()) + "}");
    long end = p.point().timeNanos();
    long start = Math.min(p.windowStart(), end);
    LogRecord.Builder r = LogRecord.newBuilder()
        .setTimeUnixNano(end)
        .setObservedTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("WARN")
        .setEventName("vigil.metric.anomaly")
        .setBody(AnyValue.newBuilder().setStringValue(String.format(
            "%s: %s is anomalous (score %.3f, value %.4g)", service, seriesName, score,
            p.input())))
        .addAttributes(Attributes.string("vigil.anomaly.kind", "metric_anomaly"))
        .addAttributes(Attributes.string("vigil.anomaly.source", "metrics"))
        .addAttributes(Attributes.string("vigil.anomaly.model", byo ? "onnx" : "builtin"))
        .addAttributes(Attributes.string("service.name", service))
        .addAttributes(Attributes.string("metric.name", p.metric().getName()))
        .addAttributes(Attributes.string("vigil.anomaly.series", seriesName))
        .addAttributes(Attributes.number("vigil.anomaly.score", score))
        .addAttributes(Attributes.number("vigil.anomaly.value", p.input()))
        .addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.window.start_unix_nano")
            .setValue(AnyValue.newBuilder().setIntValue(start)))
        .addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.window.end_unix_nano")
            .setValue(AnyValue.newBuilder().setIntValue(end)));
    if (byo && p.features() != null) {
      ArrayValue.Builder f = ArrayValue.newBuilder();
      for (float x : p.features()) {
        f.addValues(AnyValue.newBuilder().setDoubleValue(x));
      }
      r.addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.features")
          .setValue(AnyValue.newBuilder().setArrayValue(f)));
    } else if (!byo) {
      explained.forEach((k, v) -> r.addAttributes(v instanceof Number n
          ? Attributes.number("vigil.anomaly." + k, n.doubleValue())
          : Attributes.string("vigil.anomaly." + k, String.valueOf(v))));
    }
    if (!p.state().traces.isEmpty()) {
      ArrayValue.Builder ids = ArrayValue.newBuilder();
      p.state().traces.forEach(t -> ids.addValues(AnyValue.newBuilder().setStringValue(t)));
      r.addAttributes(KeyValue.newBuilder().setKey("vigil.anomaly.trace_ids")
          .setValue(AnyValue.newBuilder().setArrayValue(ids)));
    }
    return r.build();
  }


  private static String key(List<KeyValue> attrs) {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : attrs) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(kv.getKey()).append('=').append(value(kv.getValue()));
    }
    return sb.toString();
  }

  private static String value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      default -> v.toString().replace('\n', ' ');
    };
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static String hex(ByteString b) {
    char[] c = new char[b.size() * 2];
    for (int i = 0; i < b.size(); i++) {
      c[2 * i] = HEX[(b.byteAt(i) >> 4) & 0xf];
      c[2 * i + 1] = HEX[b.byteAt(i) & 0xf];
    }
    return new String(c);
  }
}
