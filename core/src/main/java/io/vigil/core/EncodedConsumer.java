package io.vigil.core;

import java.util.concurrent.CompletableFuture;

/**
 * A consumer that can also take a request as the bytes a client sent, not decoded: a durable
 * exporter queue stores bytes, so when nothing between the receiver and it reads the data, the
 * receiver only checks the bytes and counts their items ({@code OtlpWireScan}) and hands them
 * over. Decoding is the largest per-request cost of a pass-through gateway.
 *
 * <p>The same contract as {@link Consumer#consume}: the future completes when the consumer took
 * responsibility for the request, or fails with a {@link ConsumeException}.
 */
public interface EncodedConsumer {

  /**
   * {@code -Dvigil.pipeline.encodedHandOff=false} makes every receiver decode, as before this
   * existed: a switch for measuring what it saves, not a setting.
   */
  boolean ENABLED = !"false".equals(System.getProperty("vigil.pipeline.encodedHandOff"));

  /**
   * Whether {@link #consumeEncoded} may be called now. A durable queue can always take bytes;
   * a fan-out only if every branch can.
   */
  boolean takesEncoded();

  /**
   * Takes {@code request}, a valid encoded export request of the consumer's signal holding
   * {@code items} items, which the caller will not change.
   */
  CompletableFuture<Void> consumeEncoded(byte[] request, int items);

  /** {@code consumer} as an encoded consumer, or null when it cannot take bytes now. */
  static EncodedConsumer of(Object consumer) {
    return ENABLED && consumer instanceof EncodedConsumer e && e.takesEncoded() ? e : null;
  }
}
