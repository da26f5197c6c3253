package io.vigil.processor.transform;

import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.processor.ottl.OttlEvaluationException;
import java.util.concurrent.CompletableFuture;

/**
 * Transforms each batch and hands it on. A statement that fails in a group whose error_mode is
 * propagate refuses the batch as permanent (sending it again fails again), as the Collector drops
 * the payload.
 */
final class TransformProcessor<T> implements Processor<T> {
  private final RequestTransformer<T> transformer;
  private final Consumer<T> next;

  TransformProcessor(RequestTransformer<T> transformer, Consumer<T> next) {
    this.transformer = transformer;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    T out;
    try {
      out = transformer.transform(batch);
    } catch (OttlEvaluationException e) {
      return CompletableFuture.failedFuture(ConsumeException.permanent(
          "transform statement failed (error_mode propagate): " + e.getMessage()));
    }
    return next.consume(out);
  }
}
