package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One exporter's senders, one per signal it was created for, each a
 * {@link QueuedRetryingSender} over that signal's {@link BatchSender}: what every queued
 * exporter used to repeat as its own map, consumer lookup, start and shutdown.
 */
public final class PerSignalSenders {

  private final ComponentSettings settings;
  private final SendingSettings sending;
  private final Map<Signal<?>, QueuedRetryingSender<?>> senders = new LinkedHashMap<>();

  public PerSignalSenders(ComponentSettings settings, SendingSettings sending) {
    this.settings = settings;
    this.sending = sending;
  }

  /** Queues, retries and accounts {@code signal}'s batches in front of {@code sender}. */
  public <T extends Message> void add(Signal<T> signal, BatchSender<T> sender) {
    if (senders.containsKey(signal)) {
      throw new IllegalStateException("a sender for " + signal.name() + " was already added");
    }
    senders.put(signal, new QueuedRetryingSender<>(settings, signal, sending, sender));
  }

  /** The consumer for {@code signal}; null when none was added for it. */
  @SuppressWarnings("unchecked")
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return (Consumer<T>) senders.get(signal);
  }

  /** {@code signal}'s unsent batches, taken back ({@link QueuedRetryingSender#withdraw}). */
  @SuppressWarnings("unchecked")
  public <T extends Message> java.util.List<QueuedRetryingSender.Withdrawn<T>> withdraw(
      Signal<T> signal) {
    QueuedRetryingSender<T> s = (QueuedRetryingSender<T>) senders.get(signal);
    return s == null ? java.util.List.of() : s.withdraw();
  }

  public void start() {
    senders.values().forEach(QueuedRetryingSender::start);
  }

  /** Drains every signal's queue until {@code deadline}, then drops the rest (counted). */
  public void shutdown(Instant deadline) {
    senders.values().forEach(s -> s.shutdown(deadline));
  }
}
