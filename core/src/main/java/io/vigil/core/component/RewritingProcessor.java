package io.vigil.core.component;

import io.vigil.core.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A stateless processor that rewrites each batch and hands the result on (attributes, resource):
 * nothing to start or drain, and the answer is the next consumer's. The rewrite must return the
 * batch itself when it changes nothing, so the receiver's bytes can still be used downstream.
 */
public final class RewritingProcessor<T> implements Processor<T> {
  private final UnaryOperator<T> rewrite;
  private final Consumer<T> next;

  public RewritingProcessor(UnaryOperator<T> rewrite, Consumer<T> next) {
    this.rewrite = rewrite;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    return next.consume(rewrite.apply(batch));
  }
}
