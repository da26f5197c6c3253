package io.vigil.exporter.exporterhelper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link BatchSender} that can also send a request that is already serialized: the durable
 * queue merges stored requests by concatenating their bytes and hands the result over as is,
 * so a batch is neither decoded nor re-encoded on its way from the queue to the wire.
 */
public interface EncodedBatchSender<T> extends BatchSender<T> {

  /** One attempt with {@code request}, the serialized export request (uncompressed). */
  CompletableFuture<SendResult> sendEncoded(byte[] request, Duration timeout);

  /** Whether the durable queue uses {@link #sendEncoded}; a switch for measurements. */
  static boolean passThroughEnabled() {
    return !"false".equals(System.getProperty("vigil.exporter.encodedPassThrough"));
  }

  /** Combines a sender of decoded batches with one of encoded requests. */
  static <T> EncodedBatchSender<T> of(BatchSender<T> decoded, Encoded encoded) {
    return new EncodedBatchSender<>() {
      @Override
      public CompletableFuture<SendResult> send(T batch, Duration timeout) {
        return decoded.send(batch, timeout);
      }

      @Override
      public CompletableFuture<SendResult> sendEncoded(byte[] request, Duration timeout) {
        return encoded.send(request, timeout);
      }
    };
  }

  /** The encoded half, as a lambda. */
  @FunctionalInterface
  interface Encoded {
    CompletableFuture<SendResult> send(byte[] request, Duration timeout);
  }
}
