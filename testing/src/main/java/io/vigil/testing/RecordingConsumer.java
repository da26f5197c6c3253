package io.vigil.testing;

import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A consumer for tests: records every batch it is given and answers with a configurable
 * result (accept, refuse, or a future the test completes later).
 */
public final class RecordingConsumer<T> implements Consumer<T> {

  private final List<T> batches = new ArrayList<>();
  private volatile Function<T, CompletableFuture<Void>> answer =
      b -> CompletableFuture.completedFuture(null);

  @Override
  public synchronized CompletableFuture<Void> consume(T batch) {
    batches.add(batch);
    return answer.apply(batch);
  }

  /** From now on, refuse every batch with this exception (it is still recorded). */
  public RecordingConsumer<T> refuseWith(ConsumeException e) {
    answer = b -> CompletableFuture.failedFuture(e);
    return this;
  }

  /** From now on, answer every batch with the given function. */
  public RecordingConsumer<T> answerWith(Function<T, CompletableFuture<Void>> answer) {
    this.answer = answer;
    return this;
  }

  public RecordingConsumer<T> accept() {
    answer = b -> CompletableFuture.completedFuture(null);
    return this;
  }

  public synchronized List<T> batches() {
    return new ArrayList<>(batches);
  }

  public synchronized int batchCount() {
    return batches.size();
  }

  public synchronized void clear() {
    batches.clear();
  }
}
