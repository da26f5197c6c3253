package io.vigil.exporter.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.vigil.exporter.exporterhelper.ExportFailure;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** Classifies a gRPC failure the way the OTLP specification says a client must. */
final class GrpcStatusMapping {

  private static final Set<Status.Code> RETRYABLE = EnumSet.of(
      Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED,
      Status.Code.OUT_OF_RANGE, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);

  private GrpcStatusMapping() {}

  static ExportFailure classify(Throwable t, String endpoint) {
    Status status = Status.fromThrowable(t);
    String message = status.getCode() + " from " + endpoint
        + (status.getDescription() == null ? "" : ": " + status.getDescription());
    Duration delay = retryDelay(t);
    if (RETRYABLE.contains(status.getCode())) {
      return ExportFailure.retryable(message, delay);
    }
    // RESOURCE_EXHAUSTED is the server throttling only when it says when to come back.
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && delay != null) {
      return ExportFailure.retryable(message, delay);
    }
    return ExportFailure.permanent(message);
  }

  private static Duration retryDelay(Throwable t) {
    if (!(t instanceof StatusRuntimeException)) {
      return null;
    }
    com.google.rpc.Status s = StatusProto.fromThrowable(t);
    if (s == null) {
      return null;
    }
    for (com.google.protobuf.Any any : s.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
