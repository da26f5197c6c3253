package io.vigil.receiver.otlp.internal;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vigil.core.Signal;

/** The success response of each signal's Export call. */
final class Responses {

  private Responses() {}

  static Message ok(Signal<?> signal) {
    if (signal == Signal.TRACES) {
      return ExportTraceServiceResponse.getDefaultInstance();
    }
    if (signal == Signal.METRICS) {
      return ExportMetricsServiceResponse.getDefaultInstance();
    }
    return ExportLogsServiceResponse.getDefaultInstance();
  }
}
