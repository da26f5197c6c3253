package io.vigil.processor.filter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.component.Processor;
import io.vigil.processor.filter.internal.RequestFilter;
import io.vigil.processor.ottl.OttlEvaluationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * Drops what the conditions match and hands the rest on. A batch with nothing left is not
 * passed on at all (the Collector's "skip processing data"). With error_mode propagate, a
 * condition that fails refuses the whole batch as permanent: sending it again fails again.
 */
final class FilterProcessor<T> implements Processor<T> {
  private final RequestFilter<T> filter;
  private final ToIntFunction<T> items;
  private final Consumer<T> next;
  private final CounterDataPoint metric;
  private final AtomicLong dropped = new AtomicLong();

  FilterProcessor(RequestFilter<T> filter, ToIntFunction<T> items, Consumer<T> next, CounterDataPoint metric) {
    this.filter = filter;
    this.items = items;
    this.next = next;
    this.metric = metric;
  }

  @Override
  public CompletableFuture<Void> consume(T batch) {
    T out;
    try {
      out = filter.filter(batch, n -> {
        if (n > 0) {
          dropped.addAndGet(n);
          metric.inc(n);
        }
      });
    } catch (OttlEvaluationException e) {
      return CompletableFuture.failedFuture(ConsumeException.permanent(
          "filter condition failed (error_mode propagate): " + e.getMessage()));
    }
    if (out != batch && items.applyAsInt(out) == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return next.consume(out);
  }

  /** Items dropped since creation: spans, data points or log records. */
  long dropped() {
    return dropped.get();
  }
}
