package io.vigil.processor.logtemplate;

import io.vigil.pdata.Attributes;

import io.vigil.pdata.AnomalyRecord;

import io.vigil.analysis.logtemplate.LogTemplate;
import io.vigil.analysis.logtemplate.TemplateMiner;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogRecordOrBuilder;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds what departs from a service's usual log stream, from the templates of its records: a
 * template never seen from the service after its learning period (which ends once both
 * {@code learning_period} of record time has passed since the service's first record and the
 * service has logged {@code learning_records} records), a template or the error
 * records surging above their moving mean in a window, and a transition between templates
 * within one trace never seen before. Time is the records' own time, so replayed logs give the
 * same answers as live ones. Not thread-safe; the processor serialises access.
 */
public final class LogAnomalyDetector {

  /** Scope of the emitted anomaly records. */
  public static final String SCOPE = AnomalyRecord.LOG_SCOPE;
  private static final int MAX_TRANSITIONS = 100_000;
  private static final int WARM_WINDOWS = 3;

  private final AnomalyConfig config;
  private final long windowNanos;
  private final long learningNanos;
  private final int maxTemplates;
  private final Map<String, ServiceState> services = new HashMap<>();
  private final List<LogAnomaly> found = new ArrayList<>();
  private final Map<String, Long> lastTemplateOfTrace;
  /** Severity number of the record being observed, carried by what it reveals. */
  private int severity;

  /** Counts of one thing per window, with a moving mean and variance of past windows. */
  private static final class Rate {
    long window = Long.MIN_VALUE;
    long count;
    double mean;
    double variance;
    int windowsSeen;
    boolean flagged;
    final List<String> traces = new ArrayList<>(3);
  }

  private final class ServiceState {
    final long firstNanos;
    long records;
    /** Once over, learning stays over (a clock stepping back does not restart it). */
    boolean learnt;
    final Rate errors = new Rate();
    final Map<Long, Rate> templates = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, Rate> eldest) {
        return size() > maxTemplates;
      }
    };
    final Set<Transition> transitions = new HashSet<>();

    ServiceState(long firstNanos) {
      this.firstNanos = firstNanos;
    }
  }

  private record Transition(long from, long to) {}

  public LogAnomalyDetector(AnomalyConfig config, int maxTemplates) {
    this.config = config;
    this.windowNanos = config.window.toNanos();
    this.learningNanos = config.learningPeriod.toNanos();
    this.maxTemplates = maxTemplates;
    this.lastTemplateOfTrace = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > config.maxTraces;
      }
    };
  }

  /**
   * Takes one record and its template; returns the anomalies this record revealed (usually
   * none). They are also kept for {@link #drainEvents}.
   */
  public List<LogAnomaly.Kind> observe(String service, TemplateMiner.Match match,
      LogRecordOrBuilder record) {
    long now = timeOf(record);
    severity = record.getSeverityNumberValue();
    ServiceState s = services.computeIfAbsent(service, k -> new ServiceState(now));
    s.records++;
    // Both, because start-up takes an unknown time: a fixed period alone ends in the middle of
    // a slow start, or before the first request arrives, and the first requests' ordinary
    // messages would all be news; a count alone never ends for a service that logs little.
    s.learnt |= now - s.firstNanos >= learningNanos && s.records > config.learningRecords;
    boolean learnt = s.learnt;
    LogTemplate template = match.template();
    String trace = record.getTraceId().isEmpty() ? null : hex(record.getTraceId().toByteArray());
    List<LogAnomaly.Kind> kinds = new ArrayList<>(1);
    long window = Math.floorDiv(now, windowNanos);

    Rate rate = s.templates.get(template.id());
    boolean newToService = rate == null;
    if (newToService) {
      rate = new Rate();
      s.templates.put(template.id(), rate);
      if (learnt) {
        kinds.add(report(LogAnomaly.Kind.NEW_TEMPLATE, service, template, 1, 0, window, trace));
      }
    }
    if (count(rate, window, trace) && learnt) {
      kinds.add(report(LogAnomaly.Kind.TEMPLATE_SURGE, service, template, rate.count, rate.mean,
          window, rate.traces));
    }
    if (record.getSeverityNumberValue() >= config.errorSeverity
        && count(s.errors, window, trace) && learnt) {
      kinds.add(report(LogAnomaly.Kind.ERROR_SURGE, service, template, s.errors.count,
          s.errors.mean, window, s.errors.traces));
    }
    if (trace != null) {
      Long previous = lastTemplateOfTrace.put(trace, template.id());
      if (previous != null && s.transitions.size() < MAX_TRANSITIONS) {
        boolean unseen = s.transitions.add(new Transition(previous, template.id()));
        if (unseen && learnt && !newToService) {
          kinds.add(report(LogAnomaly.Kind.RARE_SEQUENCE, service, template, 1, 0, window, trace));
        }
      }
    }
    return kinds;
  }

  /** Counts one occurrence; true the first time in a window that the count is a surge. */
  private boolean count(Rate r, long window, String trace) {
    if (r.window != window) {
      if (r.window != Long.MIN_VALUE && window > r.window) {
        fold(r, r.count);
        // Windows with no record count as zeros (a few are enough to decay the mean).
        long empty = Math.min(window - r.window - 1, 50);
        for (long i = 0; i < empty; i++) {
          fold(r, 0);
        }
      }
      r.window = window;
      r.count = 0;
      r.flagged = false;
      r.traces.clear();
    }
    r.count++;
    if (trace != null && r.traces.size() < config.exampleTraces && !r.traces.contains(trace)) {
      r.traces.add(trace);
    }
    if (r.flagged || r.windowsSeen < WARM_WINDOWS || r.count < config.minCount) {
      return false;
    }
    double sd = Math.sqrt(r.variance);
    if (r.count > r.mean + config.surgeSigma * sd && r.count > config.surgeFactor * r.mean) {
      r.flagged = true;
      return true;
    }
    return false;
  }

  private void fold(Rate r, long x) {
    if (r.windowsSeen == 0) {
      r.mean = x;
    } else {
      double a = config.smoothing;
      double diff = x - r.mean;
      double incr = a * diff;
      r.mean += incr;
      r.variance = (1 - a) * (r.variance + diff * incr);
    }
    r.windowsSeen++;
  }

  private LogAnomaly.Kind report(LogAnomaly.Kind kind, String service, LogTemplate t, long count,
      double expected, long window, String trace) {
    return report(kind, service, t, count, expected, window,
        trace == null ? List.of() : List.of(trace));
  }

  private LogAnomaly.Kind report(LogAnomaly.Kind kind, String service, LogTemplate t, long count,
      double expected, long window, List<String> traces) {
    found.add(new LogAnomaly(kind, service, t, t.text(), count, expected, window * windowNanos,
        (window + 1) * windowNanos, List.copyOf(traces), severity));
    return kind;
  }

  /** Anomalies found since the last call, forgotten once returned. */
  public List<LogAnomaly> takeFound() {
    List<LogAnomaly> out = List.copyOf(found);
    found.clear();
    return out;
  }

  /** Appends the anomalies found since the last call to a batch, one resource per service. */
  void drainEvents(ExportLogsServiceRequest.Builder batch) {
    if (found.isEmpty()) {
      return;
    }
    Map<String, ScopeLogs.Builder> byService = new LinkedHashMap<>();
    for (LogAnomaly a : takeFound()) {
      byService.computeIfAbsent(a.service(), k -> ScopeLogs.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName(SCOPE)))
          .addLogRecords(toRecord(a));
    }
    byService.forEach((service, scope) -> batch.addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(Attributes.string("service.name", service)))
        .addScopeLogs(scope)));
  }

  static LogRecord toRecord(LogAnomaly a) {
    LogRecord.Builder r = LogRecord.newBuilder()
        .setTimeUnixNano(a.windowEndNanos())
        .setObservedTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("WARN")
        .setEventName(AnomalyRecord.LOG_EVENT)
        .setBody(AnyValue.newBuilder().setStringValue(describe(a)))
        .addAttributes(Attributes.string(AnomalyRecord.KIND, a.kind().label()))
        .addAttributes(Attributes.string(AnomalyRecord.SOURCE, AnomalyRecord.SOURCE_LOGS))
        .addAttributes(Attributes.string("service.name", a.service()))
        .addAttributes(Attributes.string(AnomalyRecord.TEMPLATE_ID, a.template().idHex()))
        .addAttributes(Attributes.string(AnomalyRecord.TEMPLATE, a.templateText()))
        .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
            .setKey("vigil.anomaly.count").setValue(AnyValue.newBuilder().setIntValue(a.count())))
        .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
            .setKey("vigil.anomaly.expected")
            .setValue(AnyValue.newBuilder().setDoubleValue(a.expected())))
        .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
            .setKey("vigil.anomaly.window.start_unix_nano")
            .setValue(AnyValue.newBuilder().setIntValue(a.windowStartNanos())))
        .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
            .setKey("vigil.anomaly.window.end_unix_nano")
            .setValue(AnyValue.newBuilder().setIntValue(a.windowEndNanos())));
    if (a.severityNumber() > 0) {
      r.addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
          .setKey(AnomalyRecord.SEVERITY_NUMBER)
          .setValue(AnyValue.newBuilder().setIntValue(a.severityNumber())));
    }
    if (!a.traceIds().isEmpty()) {
      ArrayValue.Builder ids = ArrayValue.newBuilder();
      a.traceIds().forEach(id -> ids.addValues(AnyValue.newBuilder().setStringValue(id)));
      r.addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
          .setKey("vigil.anomaly.trace_ids").setValue(AnyValue.newBuilder().setArrayValue(ids)));
      r.setTraceId(com.google.protobuf.ByteString.copyFrom(unhex(a.traceIds().get(0))));
    }
    return r.build();
  }

  private static String describe(LogAnomaly a) {
    return switch (a.kind()) {
      case NEW_TEMPLATE -> a.service() + " logged a message of a kind never seen from it: "
          + a.templateText();
      case TEMPLATE_SURGE -> a.service() + " logged " + a.count() + " messages '"
          + a.templateText() + "' in one window, usually " + String.format("%.1f", a.expected());
      case ERROR_SURGE -> a.service() + " logged " + a.count() + " errors in one window, usually "
          + String.format("%.1f", a.expected()) + "; latest: " + a.templateText();
      case RARE_SEQUENCE -> a.service() + " logged '" + a.templateText()
          + "' after a message it never preceded before in a trace";
    };
  }

  private static long timeOf(LogRecordOrBuilder r) {
    if (r.getTimeUnixNano() != 0) {
      return r.getTimeUnixNano();
    }
    if (r.getObservedTimeUnixNano() != 0) {
      return r.getObservedTimeUnixNano();
    }
    return System.currentTimeMillis() * 1_000_000L;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] b) {
    char[] c = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      c[2 * i] = HEX[(b[i] >> 4) & 0xf];
      c[2 * i + 1] = HEX[b[i] & 0xf];
    }
    return new String(c);
  }

  static byte[] unhex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
