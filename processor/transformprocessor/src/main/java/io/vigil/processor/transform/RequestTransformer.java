package io.vigil.processor.transform;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.processor.ottl.RecordContext;
import java.util.List;

/**
 * Runs the groups, in config order, over a copy of the request as builders: each group walks the
 * records of its context (resources, scopes, spans, span events, metrics, data points or log
 * records). The request itself is returned when no statement wrote anything, so the receiver's
 * bytes can still travel on.
 */
abstract class RequestTransformer<T> {
  protected final List<GroupRunner> groups;

  RequestTransformer(List<GroupRunner> groups) {
    this.groups = groups;
  }

  abstract T transform(T request);

  static final class Traces extends RequestTransformer<ExportTraceServiceRequest> {
    Traces(List<GroupRunner> groups) {
      super(groups);
    }

    @Override
    ExportTraceServiceRequest transform(ExportTraceServiceRequest request) {
      if (groups.isEmpty()) {
        return request;
      }
      ExportTraceServiceRequest.Builder b = request.toBuilder();
      RecordContext c = new RecordContext();
      for (GroupRunner g : groups) {
        for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
          c.resource(rs.getResourceBuilder()).scope(null).span(null).spanEvent(null);
          switch (g.group.context()) {
            case RESOURCE -> g.run(c);
            default -> {
              for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                c.scope(ss.getScopeBuilder());
                if (g.group.context() == io.vigil.processor.ottl.OttlContext.SCOPE) {
                  g.run(c);
                  continue;
                }
                for (Span.Builder span : ss.getSpansBuilderList()) {
                  c.span(span);
                  if (g.group.context() == io.vigil.processor.ottl.OttlContext.SPAN) {
                    g.run(c);
                  } else {
                    for (Span.Event.Builder e : span.getEventsBuilderList()) {
                      g.run(c.spanEvent(e));
                    }
                  }
                }
              }
            }
          }
        }
      }
      return c.changed() ? b.build() : request;
    }
  }

  static final class Metrics extends RequestTransformer<ExportMetricsServiceRequest> {
    Metrics(List<GroupRunner> groups) {
      super(groups);
    }

    @Override
    ExportMetricsServiceRequest transform(ExportMetricsServiceRequest request) {
      if (groups.isEmpty()) {
        return request;
      }
      ExportMetricsServiceRequest.Builder b = request.toBuilder();
      RecordContext c = new RecordContext();
      for (GroupRunner g : groups) {
        for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
          c.resource(rm.getResourceBuilder()).scope(null).metric(null).dataPoint(null);
          if (g.group.context() == io.vigil.processor.ottl.OttlContext.RESOURCE) {
            g.run(c);
            continue;
          }
          for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
            c.scope(sm.getScopeBuilder());
            if (g.group.context() == io.vigil.processor.ottl.OttlContext.SCOPE) {
              g.run(c);
              continue;
            }
            for (Metric.Builder m : sm.getMetricsBuilderList()) {
              c.metric(m);
              if (g.group.context() == io.vigil.processor.ottl.OttlContext.METRIC) {
                g.run(c);
              } else {
                points(m, c, g);
              }
            }
          }
        }
      }
      return c.changed() ? b.build() : request;
    }

    private static void points(Metric.Builder m, RecordContext c, GroupRunner g) {
      switch (m.getDataCase()) {
        case GAUGE -> m.getGaugeBuilder().getDataPointsBuilderList().forEach(p -> g.run(c.dataPoint(p)));
        case SUM -> m.getSumBuilder().getDataPointsBuilderList().forEach(p -> g.run(c.dataPoint(p)));
        case HISTOGRAM -> m.getHistogramBuilder().getDataPointsBuilderList().forEach(p -> g.run(c.dataPoint(p)));
        case EXPONENTIAL_HISTOGRAM ->
            m.getExponentialHistogramBuilder().getDataPointsBuilderList().forEach(p -> g.run(c.dataPoint(p)));
        case SUMMARY -> m.getSummaryBuilder().getDataPointsBuilderList().forEach(p -> g.run(c.dataPoint(p)));
        default -> { }
      }
    }
  }

  static final class Logs extends RequestTransformer<ExportLogsServiceRequest> {
    Logs(List<GroupRunner> groups) {
      super(groups);
    }

    @Override
    ExportLogsServiceRequest transform(ExportLogsServiceRequest request) {
      if (groups.isEmpty()) {
        return request;
      }
      ExportLogsServiceRequest.Builder b = request.toBuilder();
      RecordContext c = new RecordContext();
      for (GroupRunner g : groups) {
        for (ResourceLogs.Builder rl : b.getResourceLogsBuilderList()) {
          c.resource(rl.getResourceBuilder()).scope(null).log(null);
          if (g.group.context() == io.vigil.processor.ottl.OttlContext.RESOURCE) {
            g.run(c);
            continue;
          }
          for (ScopeLogs.Builder sl : rl.getScopeLogsBuilderList()) {
            c.scope(sl.getScopeBuilder());
            if (g.group.context() == io.vigil.processor.ottl.OttlContext.SCOPE) {
              g.run(c);
              continue;
            }
            for (LogRecord.Builder r : sl.getLogRecordsBuilderList()) {
              g.run(c.log(r));
            }
          }
        }
      }
      return c.changed() ? b.build() : request;
    }
  }
}
