package io.vigil.processor.attributes;

import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.processor.attributes.internal.RequestRewriter;
import java.util.concurrent.CompletableFuture;

/** Rewrites each batch and hands the result on; stateless, so nothing to start or drain. */
final class RewritingProcessor<T> implements Processor<T> {
  private final RequestRewriter<T> rewriter;
  private final Consumer<T> next;

  RewritingProcessor(RequestRewriter<T> rewriter, Consumer<T> next) {
    this.rewriter = rewriter;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    return next.consume(rewriter.rewrite(batch));
  }
}
