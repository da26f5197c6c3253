package io.vigil.processor.k8sattributes.internal;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vigil.core.ClientInfo;
import io.vigil.core.Signal;
import java.util.List;

/**
 * Enriches every resource of one signal's request. A request none of whose resources changed is
 * handed on as the same object, so the receiver's bytes can still be used downstream.
 */
public abstract class RequestEnricher<T> {
  final ResourceEnricher enricher;

  RequestEnricher(ResourceEnricher enricher) {
    this.enricher = enricher;
  }

  public abstract T enrich(T request, ClientInfo client);

  @SuppressWarnings("unchecked")
  public static <T extends Message> RequestEnricher<T> forSignal(
      Signal<T> signal, ResourceEnricher enricher) {
    if (signal == Signal.TRACES) {
      return (RequestEnricher<T>) new Traces(enricher);
    }
    if (signal == Signal.LOGS) {
      return (RequestEnricher<T>) new Logs(enricher);
    }
    return (RequestEnricher<T>) new Metrics(enricher);
  }

  static final class Traces extends RequestEnricher<ExportTraceServiceRequest> {
    Traces(ResourceEnricher e) {
      super(e);
    }

    @Override
    public ExportTraceServiceRequest enrich(ExportTraceServiceRequest r, ClientInfo client) {
      ExportTraceServiceRequest.Builder out = null;
      for (int i = 0; i < r.getResourceSpansCount(); i++) {
        List<KeyValue> in = r.getResourceSpans(i).getResource().getAttributesList();
        List<KeyValue> attrs = enricher.enrich(in, client);
        if (attrs != in) {
          out = out == null ? r.toBuilder() : out;
          out.getResourceSpansBuilder(i).getResourceBuilder().clearAttributes()
              .addAllAttributes(attrs);
        }
      }
      return out == null ? r : out.build();
    }
  }

  static final class Logs extends RequestEnricher<ExportLogsServiceRequest> {
    Logs(ResourceEnricher e) {
      super(e);
    }

    @Override
    public ExportLogsServiceRequest enrich(ExportLogsServiceRequest r, ClientInfo client) {
      ExportLogsServiceRequest.Builder out = null;
      for (int i = 0; i < r.getResourceLogsCount(); i++) {
        List<KeyValue> in = r.getResourceLogs(i).getResource().getAttributesList();
        List<KeyValue> attrs = enricher.enrich(in, client);
        if (attrs != in) {
          out = out == null ? r.toBuilder() : out;
          out.getResourceLogsBuilder(i).getResourceBuilder().clearAttributes()
              .addAllAttributes(attrs);
        }
      }
      return out == null ? r : out.build();
    }
  }

  static final class Metrics extends RequestEnricher<ExportMetricsServiceRequest> {
    Metrics(ResourceEnricher e) {
      super(e);
    }

    @Override
    public ExportMetricsServiceRequest enrich(ExportMetricsServiceRequest r, ClientInfo client) {
      ExportMetricsServiceRequest.Builder out = null;
      for (int i = 0; i < r.getResourceMetricsCount(); i++) {
        List<KeyValue> in = r.getResourceMetrics(i).getResource().getAttributesList();
        List<KeyValue> attrs = enricher.enrich(in, client);
        if (attrs != in) {
          out = out == null ? r.toBuilder() : out;
          out.getResourceMetricsBuilder(i).getResourceBuilder().clearAttributes()
              .addAllAttributes(attrs);
        }
      }
      return out == null ? r : out.build();
    }
  }
}
