package io.vigil.processor.resource;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.Signal;
import io.vigil.processor.attraction.AttributeActions;
import java.util.List;

/**
 * The actions on each resource of one signal's request. A request whose resources the actions
 * leave as they are is handed on as the same object.
 */
abstract class ResourceRewriter<T> {
  final AttributeActions actions;

  ResourceRewriter(AttributeActions actions) {
    this.actions = actions;
  }

  abstract T rewrite(T request);

  @SuppressWarnings("unchecked")
  static <T extends com.google.protobuf.Message> ResourceRewriter<T> forSignal(Signal<T> signal, AttributeActions actions) {
    if (signal == Signal.TRACES) {
      return (ResourceRewriter<T>) new Traces(actions);
    }
    if (signal == Signal.LOGS) {
      return (ResourceRewriter<T>) new Logs(actions);
    }
    return (ResourceRewriter<T>) new Metrics(actions);
  }

  static final class Traces extends ResourceRewriter<ExportTraceServiceRequest> {
    Traces(AttributeActions actions) {
      super(actions);
    }

    @Override
    ExportTraceServiceRequest rewrite(ExportTraceServiceRequest r) {
      ExportTraceServiceRequest.Builder out = null;
      for (int i = 0; i < r.getResourceSpansCount(); i++) {
        List<KeyValue> in = r.getResourceSpans(i).getResource().getAttributesList();
        List<KeyValue> attrs = actions.apply(in);
        if (attrs != in && !attrs.equals(in)) {
          out = out == null ? r.toBuilder() : out;
          out.getResourceSpansBuilder(i).getResourceBuilder().clearAttributes().addAllAttributes(attrs);
        }
      }
      return out == null ? r : out.build();
    }
  }

  static final class Logs extends ResourceRewriter<ExportLogsServiceRequest> {
    Logs(AttributeActions actions) {
      super(actions);
    }

    @Override
    ExportLogsServiceRequest rewrite(ExportLogsServiceRequest r) {
      ExportLogsServiceRequest.Builder out = null;
      for (int i = 0; i < r.getResourceLogsCount(); i++) {
        List<KeyValue> in = r.getResourceLogs(i).getResource().getAttributesList();
        List<KeyValue> attrs = actions.apply(in);
        if (attrs != in && !attrs.equals(in)) {
          out = out == null ? r.toBuilder() : out;
          out.getResourceLogsBuilder(i).getResourceBuilder().clearAttributes().addAllAttributes(attrs);
        }
      }
      return out == null ? r : out.build();
    }
  }

  static final class Metrics extends ResourceRewriter<ExportMetricsServiceRequest> {
    Metrics(AttributeActions actions) {
      super(actions);
    }

    @Override
    ExportMetricsServiceRequest rewrite(ExportMetricsServiceRequest r) {
      ExportMetricsServiceRequest.Builder out = null;
      for (int i = 0; i < r.getResourceMetricsCount(); i++) {
        List<KeyValue> in = r.getResourceMetrics(i).getResource().getAttributesList();
        List<KeyValue> attrs = actions.apply(in);
        if (attrs != in && !attrs.equals(in)) {
          out = out == null ? r.toBuilder() : out;
          out.getResourceMetricsBuilder(i).getResourceBuilder().clearAttributes().addAllAttributes(attrs);
        }
      }
      return out == null ? r : out.build();
    }
  }
}
