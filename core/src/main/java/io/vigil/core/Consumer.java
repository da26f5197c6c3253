package io.vigil.core;

import java.util.concurrent.CompletableFuture;

/**
 * The next hop of a pipeline. Each component hands its output to one of these.
 *
 * <p>The returned future completes when the consumer has taken responsibility for the batch
 * (queued it, batched it, or sent it); it fails with a {@link ConsumeException} when the batch
 * was refused, so pressure travels back to the receiver, which answers its client honestly. A
 * consumer must not modify the batch it is given: batches may be shared between pipelines.
 *
 * @param <T> the OTLP request type of the signal
 */
@FunctionalInterface
public interface Consumer<T> {

  CompletableFuture<Void> consume(T batch);
}
