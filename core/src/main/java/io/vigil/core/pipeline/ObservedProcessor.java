package io.vigil.core.pipeline;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.EncodedConsumer;
import io.vigil.core.Signal;
import io.vigil.core.component.Processor;
import io.vigil.core.telemetry.GatewayTelemetry.ProcessorTelemetry;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Counts what enters a processor and what it refuses, so no processor has to. A processor that
 * passes requests on unread (memory_limiter) may take them encoded; the counting does not stop
 * that.
 */
final class ObservedProcessor<T extends Message> implements Processor<T>, EncodedConsumer {

  private final Processor<T> delegate;
  private final Signal<T> signal;
  private final ProcessorTelemetry telemetry;

  ObservedProcessor(Processor<T> delegate, Signal<T> signal, ProcessorTelemetry telemetry) {
    this.delegate = delegate;
    this.signal = signal;
    this.telemetry = telemetry;
  }

  /** Wraps a processor's next hop to count what it passes on. */
  static <T extends Message> Consumer<T> countingOutgoing(
      Consumer<T> next, Signal<T> signal, ProcessorTelemetry telemetry) {
    return new CountingOutgoing<>(next, signal, telemetry);
  }

  /** The next hop of a processor, counting what it is handed, decoded or not. */
  private record CountingOutgoing<T extends Message>(Consumer<T> next, Signal<T> signal,
      ProcessorTelemetry telemetry) implements Consumer<T>, EncodedConsumer {

    @Override
    public CompletableFuture<Void> consume(T batch) {
      telemetry.outgoing(signal, signal.itemCount(batch));
      return next.consume(batch);
    }

    @Override
    public boolean takesEncoded() {
      return EncodedConsumer.of(next) != null;
    }

    @Override
    public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
      telemetry.outgoing(signal, items);
      return ((EncodedConsumer) next).consumeEncoded(request, items);
    }
  }

  @Override
  public boolean takesEncoded() {
    return EncodedConsumer.of(delegate) != null;
  }

  @Override
  public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
    telemetry.incoming(signal, items);
    CompletableFuture<Void> result;
    try {
      result = ((EncodedConsumer) delegate).consumeEncoded(request, items);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete((ok, err) -> {
      if (err != null) {
        telemetry.refused(signal, items);
      }
    });
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    int items = signal.itemCount(batch);
    telemetry.incoming(signal, items);
    CompletableFuture<Void> result;
    try {
      result = delegate.consume(batch);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete(
        (ok, err) -> {
          if (err != null) {
            telemetry.refused(signal, items);
          }
        });
  }

  @Override
  public void start() throws Exception {
    delegate.start();
  }

  @Override
  public void start(io.vigil.core.component.Host host) throws Exception {
    delegate.start(host);
  }

  @Override
  public void shutdown(Instant deadline) {
    delegate.shutdown(deadline);
  }
}
