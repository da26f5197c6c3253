package io.vigil.core.pipeline;

import io.vigil.core.Consumer;
import io.vigil.core.EncodedConsumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands the same batch to several consumers. Batches are immutable protobuf messages, so no
 * copy is made: a processor that changes data in one branch builds a new message and the other
 * branches never see the change.
 *
 * <p>The result completes when every branch has taken the batch, and fails with the first
 * branch's refusal, so the sender hears about a full queue in any branch. Branches are
 * independent: a slow exporter delays only its own queue.
 *
 * <p>It takes a request's bytes when every branch can ({@link EncodedConsumer}): a receiver
 * feeding only durable queues need not decode what nobody reads.
 */
final class FanOutConsumer<T> implements Consumer<T>, EncodedConsumer {

  private final List<Consumer<T>> branches;

  private FanOutConsumer(List<Consumer<T>> branches) {
    this.branches = List.copyOf(branches);
  }

  static <T> Consumer<T> of(List<Consumer<T>> branches) {
    if (branches.size() == 1) {
      return branches.get(0);
    }
    return new FanOutConsumer<>(branches);
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    CompletableFuture<?>[] results = new CompletableFuture<?>[branches.size()];
    for (int i = 0; i < results.length; i++) {
      CompletableFuture<Void> r;
      try {
        r = branches.get(i).consume(batch);
      } catch (RuntimeException e) {
        r = CompletableFuture.failedFuture(e);
      }
      results[i] = r;
    }
    return CompletableFuture.allOf(results);
  }

  @Override
  public boolean takesEncoded() {
    for (Consumer<T> b : branches) {
      if (EncodedConsumer.of(b) == null) {
        return false;
      }
    }
    return true;
  }

  @Override
  public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
    CompletableFuture<?>[] results = new CompletableFuture<?>[branches.size()];
    for (int i = 0; i < results.length; i++) {
      CompletableFuture<Void> r;
      try {
        r = ((EncodedConsumer) branches.get(i)).consumeEncoded(request, items);
      } catch (RuntimeException e) {
        r = CompletableFuture.failedFuture(e);
      }
      results[i] = r;
    }
    return CompletableFuture.allOf(results);
  }
}
