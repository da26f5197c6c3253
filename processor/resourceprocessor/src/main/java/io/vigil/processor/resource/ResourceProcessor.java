package io.vigil.processor.resource;

import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import java.util.concurrent.CompletableFuture;

/** Rewrites each batch's resources and hands it on; stateless. */
final class ResourceProcessor<T> implements Processor<T> {
  private final ResourceRewriter<T> rewriter;
  private final Consumer<T> next;

  ResourceProcessor(ResourceRewriter<T> rewriter, Consumer<T> next) {
    this.rewriter = rewriter;
    this.next = next;
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    return next.consume(rewriter.rewrite(batch));
  }
}
