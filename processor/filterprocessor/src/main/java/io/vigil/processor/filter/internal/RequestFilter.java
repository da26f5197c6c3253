package io.vigil.processor.filter.internal;

/**
 * Drops the items of one signal's request that the conditions match. Returns the request itself
 * when nothing was dropped, so the receiver's bytes can still travel on.
 */
public interface RequestFilter<T> {
  /** The filtered request; {@code dropped} receives the count of items (spans, points, records) dropped. */
  T filter(T request, java.util.function.LongConsumer dropped);
}
