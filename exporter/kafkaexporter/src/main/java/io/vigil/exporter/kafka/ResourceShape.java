package io.vigil.exporter.kafka;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vigil.core.Signal;
import java.util.List;
import java.util.function.Function;

/**
 * How an export request of one signal is made of per-resource entries, so the splitting by
 * resource (and by topic attribute) is written once for the three signals.
 *
 * @param <T> the export request
 * @param <R> its per-resource entry ({@code ResourceSpans}, ...)
 */
final class ResourceShape<T extends Message, R extends Message> {

  static final ResourceShape<ExportTraceServiceRequest, ResourceSpans> TRACES =
      new ResourceShape<>(ExportTraceServiceRequest::getResourceSpansList,
          ResourceSpans::getResource,
          l -> ExportTraceServiceRequest.newBuilder().addAllResourceSpans(l).build());
  static final ResourceShape<ExportMetricsServiceRequest, ResourceMetrics> METRICS =
      new ResourceShape<>(ExportMetricsServiceRequest::getResourceMetricsList,
          ResourceMetrics::getResource,
          l -> ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(l).build());
  static final ResourceShape<ExportLogsServiceRequest, ResourceLogs> LOGS =
      new ResourceShape<>(ExportLogsServiceRequest::getResourceLogsList,
          ResourceLogs::getResource,
          l -> ExportLogsServiceRequest.newBuilder().addAllResourceLogs(l).build());

  final Function<T, List<R>> entries;
  final Function<R, Resource> resource;
  final Function<List<R>, T> build;

  private ResourceShape(Function<T, List<R>> entries, Function<R, Resource> resource,
      Function<List<R>, T> build) {
    this.entries = entries;
    this.resource = resource;
    this.build = build;
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> ResourceShape<T, ? extends Message> of(Signal<T> signal) {
    if (signal == Signal.TRACES) {
      return (ResourceShape<T, ? extends Message>) (ResourceShape<?, ?>) TRACES;
    }
    if (signal == Signal.METRICS) {
      return (ResourceShape<T, ? extends Message>) (ResourceShape<?, ?>) METRICS;
    }
    return (ResourceShape<T, ? extends Message>) (ResourceShape<?, ?>) LOGS;
  }
}
