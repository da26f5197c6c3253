package io.vigil.receiver.otlp.internal;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vigil.core.ClientInfo;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.EncodedConsumer;
import io.vigil.core.Signal;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.pdata.OtlpWireScan;
import io.vigil.pdata.ReceivedBytes;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a decoded request to the pipeline and turns the answer into the Export response
 * (with partial_success when invalid items were removed), the same for gRPC and HTTP.
 */
public final class Outcome {

  private Outcome() {}

  /**
   * Completes with the response, or fails with the pipeline's {@link ConsumeException}. The
   * pipeline is called with the connection's {@code peer} as {@link ClientInfo#current()}.
   */
  public static <T extends Message> CompletableFuture<Message> deliver(Signal<T> signal,
      T request, Consumer<T> consumer, ReceiverTelemetry telemetry, SocketAddress peer) {
    InvalidItems.Result<T> valid = InvalidItems.remove(request);
    int items = signal.itemCount(valid.request);
    if (valid.rejected > 0) {
      telemetry.refused(signal, valid.rejected);
    }
    if (items == 0) {
      ReceivedBytes.forget(request);
      return CompletableFuture.completedFuture(response(signal, valid.rejected, valid.message));
    }
    CompletableFuture<Void> done;
    try {
      done = ClientInfo.callWith(
          ClientInfo.of(peer).orElse(null), () -> consumer.consume(valid.request));
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    return done.handle((ok, err) -> {
      ReceivedBytes.forget(request); // queues took their copy when they took the request
      if (err != null) {
        telemetry.refused(signal, items);
        throw ConsumeException.from(err);
      }
      telemetry.accepted(signal, items);
      return response(signal, valid.rejected, valid.message);
    });
  }

  /**
   * Hands {@code bytes}, an encoded request, to {@code consumer} without decoding it, when the
   * consumer takes bytes (only durable queues after it, no processor) and no item needs removing.
   * Returns null when the request must be decoded and go through {@link #deliver}.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a request of the signal: the
   *     same answer decoding gives
   */
  public static CompletableFuture<Message> deliverEncoded(Signal<?> signal, byte[] bytes,
      Consumer<?> consumer, ReceiverTelemetry telemetry) throws InvalidProtocolBufferException {
    EncodedConsumer encoded = EncodedConsumer.of(consumer);
    if (encoded == null) {
      return null;
    }
    int items = OtlpWireScan.items(signal.empty().getDescriptorForType(), bytes);
    if (items == OtlpWireScan.NEEDS_DECODING) {
      return null;
    }
    if (items == 0) {
      return CompletableFuture.completedFuture(Responses.ok(signal));
    }
    CompletableFuture<Void> done;
    try {
      done = encoded.consumeEncoded(bytes, items);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    return done.handle((ok, err) -> {
      if (err != null) {
        telemetry.refused(signal, items);
        throw ConsumeException.from(err);
      }
      telemetry.accepted(signal, items);
      return Responses.ok(signal);
    });
  }

  static Message response(Signal<?> signal, long rejected, String message) {
    if (rejected == 0) {
      return Responses.ok(signal);
    }
    if (signal == Signal.TRACES) {
      return ExportTraceServiceResponse.newBuilder().setPartialSuccess(
          ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
              .setErrorMessage(message)).build();
    }
    if (signal == Signal.LOGS) {
      return ExportLogsServiceResponse.newBuilder().setPartialSuccess(
          ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected)
              .setErrorMessage(message)).build();
    }
    return ExportMetricsServiceResponse.getDefaultInstance();
  }
}
