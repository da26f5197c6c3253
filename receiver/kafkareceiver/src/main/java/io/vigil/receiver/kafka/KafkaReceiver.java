package io.vigil.receiver.kafka;

import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * Reads the signals' topics through one consumer of the group, on one thread, and hands each
 * message to its pipeline.
 *
 * <p>A message is <em>marked</em> (its offset may be committed) only once the pipeline
 * accepted it, in partition order: the committed offset of a partition never passes a message
 * the pipeline refused or has not answered. A refused message is read again: its partition is
 * rewound to it and paused with a growing backoff, while the other partitions go on, so a
 * refusing pipeline slows the reading down instead of losing data. A crash re-reads what was
 * not committed (at least once: duplicates are what was accepted within the last commit
 * interval, and after a refusal the later messages of that poll). Offsets are committed on the
 * {@code autocommit} schedule, also while a poll's answers are still coming, when partitions
 * are revoked, and at shutdown.
 */
final class KafkaReceiver implements Receiver {

  private final KafkaReceiverConfig config;
  private final Map<String, TopicRoute<?>> routes;
  private final ReceiverTelemetry telemetry;
  private final Logger log;
  private final Map<TopicPartition, OffsetAndMetadata> marked = new HashMap<>();
  private final PartitionBackoff backoff;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;
  private volatile boolean running;
  /** Set by shutdown: until when in-flight answers are awaited and offsets committed. */
  private volatile Instant deadline;
  private long lastCommitNanos = System.nanoTime();

  KafkaReceiver(ComponentSettings settings, KafkaReceiverConfig config,
      Map<String, TopicRoute<?>> routes) {
    this.config = config;
    this.routes = routes;
    this.telemetry = settings.telemetry().receiver(settings.id(), "kafka");
    this.log = settings.logger(KafkaReceiver.class);
    this.backoff = new PartitionBackoff(config.errorBackoff);
  }

  @Override
  public void start() {
    consumer = new KafkaConsumer<>(ConsumerProperties.of(config));
    running = true;
    thread = new Thread(this::run, "kafka-receiver-" + config.groupId);
    thread.setDaemon(true);
    thread.start();
    log.info("reading {} from Kafka at {} as group {}", routes.keySet(), config.brokers,
        config.groupId);
  }

  private void run() {
    try {
      consumer.subscribe(routes.keySet(), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          try {
            commit(true);
          } catch (WakeupException e) {
            throw e;
          } catch (RuntimeException e) {
            // The group moved on without this member: the new owner re-reads from the last
            // committed offset (duplicates, no loss).
            log.warn("could not commit the offsets of revoked partitions {} of group {}: {}",
                partitions, config.groupId, e.toString());
          }
          partitions.forEach(backoff::forget);
          partitions.forEach(marked::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          // Another member owns them now: what was marked cannot be committed any more.
          partitions.forEach(backoff::forget);
          partitions.forEach(marked::remove);
        }
      });
      while (running) {
        List<TopicPartition> due = backoff.due(System.nanoTime());
        if (!due.isEmpty()) {
          List<TopicPartition> owned = new ArrayList<>(due);
          owned.retainAll(consumer.assignment());
          consumer.resume(owned);
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
          break;
        }
        if (!records.isEmpty()) {
          handle(records);
        }
        if (!config.autocommit.enable
            || System.nanoTime() - lastCommitNanos >= config.autocommit.interval.toNanos()) {
          commit(false);
        }
      }
    } catch (WakeupException e) {
      // shutdown() woke a blocking call up.
    } catch (RuntimeException e) {
      log.error("the Kafka consumer of group {} failed; the receiver stops reading (what was"
          + " not committed is read again after a restart): {}{}", config.groupId, e.toString(),
          e instanceof org.apache.kafka.common.errors.AuthenticationException
              ? " (the brokers refused the connection's TLS or SASL: check tls::ca_file and"
                  + " auth::sasl)" : "", e);
    } finally {
      try {
        try {
          commit(true);
        } catch (WakeupException e) {
          // shutdown()'s wakeup landed on this commit instead of a poll: commit again.
          commit(true);
        }
      } catch (RuntimeException e) {
        log.warn("could not commit the last offsets of group {}; they will be read again: {}",
            config.groupId, e.toString());
      }
      consumer.close(CloseOptions.timeout(untilDeadline(Duration.ofSeconds(30))));
    }
  }

  /** One pending message: where it came from and what the pipeline made of it. */
  private record Pending(ConsumerRecord<byte[], byte[]> record, Signal<?> signal, int items,
      CompletableFuture<Void> answer) {}

  /**
   * Hands a poll's messages to the pipeline, then follows the answers: each partition's marked
   * offset moves over its accepted messages in order as they are answered, and is committed on
   * the autocommit schedule meanwhile, so a pipeline that takes its time (retrying, waiting for
   * the result) does not hold back the commits of what it already accepted.
   */
  private void handle(ConsumerRecords<byte[], byte[]> records) {
    boolean markOnReceipt = !config.messageMarking.after;
    List<PartitionProgress> partitions = new ArrayList<>();
    for (TopicPartition tp : records.partitions()) {
      List<Pending> list = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        list.add(dispatch(r));
      }
      partitions.add(new PartitionProgress(tp, list));
      if (markOnReceipt) {
        marked.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).record().offset() + 1));
      }
    }
    long waitUntil = System.nanoTime() + config.pipelineTimeout.toNanos();
    while (true) {
      List<CompletableFuture<Void>> waiting = new ArrayList<>();
      for (PartitionProgress pp : partitions) {
        CompletableFuture<Void> next = pp.advance(markOnReceipt);
        if (next != null) {
          waiting.add(next);
        }
      }
      if (!config.autocommit.enable
          || System.nanoTime() - lastCommitNanos >= config.autocommit.interval.toNanos()) {
        commit(false);
      }
      if (waiting.isEmpty()) {
        break;
      }
      long left = Math.min(waitUntil - System.nanoTime(),
          untilDeadline(Duration.ofDays(1)).toNanos());
      if (left <= 0) {
        // Unanswered in time: read again, like a refusal.
        partitions.forEach(PartitionProgress::timeOut);
        break;
      }
      try {
        CompletableFuture.anyOf(waiting.toArray(CompletableFuture[]::new))
            .get(Math.min(left, config.autocommit.interval.toNanos()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException | CancellationException e) {
        // Woken up to look again: the outcome is read per message.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        partitions.forEach(PartitionProgress::timeOut);
        break;
      }
    }
    for (PartitionProgress pp : partitions) {
      TopicPartition tp = pp.tp;
      if (pp.refusedAt != null) {
        // Read it again from the first refused message; while running, after a pause
        // (backpressure).
        consumer.seek(tp, pp.refusedAt);
        if (running) {
          consumer.pause(List.of(tp));
          Duration pause = backoff.refused(tp, System.nanoTime());
          log.debug("pipeline refused {} at offset {}; pausing the partition for {}", tp,
              pp.refusedAt, pause);
        }
      } else {
        backoff.accepted(tp);
      }
    }
  }

  /** One partition's messages of a poll and how far their answers have come, in order. */
  private final class PartitionProgress {
    final TopicPartition tp;
    final List<Pending> pending;
    int next;
    Long refusedAt;

    PartitionProgress(TopicPartition tp, List<Pending> pending) {
      this.tp = tp;
      this.pending = pending;
    }

    /**
     * Moves over the answered messages, marking the accepted ones while none before was
     * refused; returns the answer still awaited, or null when the partition is settled.
     */
    CompletableFuture<Void> advance(boolean markOnReceipt) {
      while (refusedAt == null && next < pending.size()) {
        Pending p = pending.get(next);
        if (p.answer() != null && !p.answer().isDone()) {
          return p.answer();
        }
        Outcome o = outcome(p);
        if (o == Outcome.REFUSED && !markOnReceipt) {
          refusedAt = p.record().offset();
        } else if (!markOnReceipt) {
          marked.put(tp, new OffsetAndMetadata(p.record().offset() + 1));
        }
        next++;
      }
      return null;
    }

    void timeOut() {
      if (refusedAt == null && next < pending.size()) {
        Pending p = pending.get(next);
        telemetry.refused(p.signal(), p.items());
        refusedAt = p.record().offset();
      }
    }
  }

  private enum Outcome { ACCEPTED, UNDECODABLE, REFUSED_MARKED, REFUSED }

  private Pending dispatch(ConsumerRecord<byte[], byte[]> r) {
    TopicRoute<?> route = routes.get(r.topic());
    return dispatch(r, route);
  }

  private <T extends Message> Pending dispatch(ConsumerRecord<byte[], byte[]> r,
      TopicRoute<T> route) {
    T batch;
    try {
      batch = route.decode(r.value());
    } catch (IllegalArgumentException e) {
      telemetry.protocolError("undecodable_message");
      log.warn("skipping message {}-{}@{}: not an OTLP {} message in {}: {}", r.topic(),
          r.partition(), r.offset(), route.signal().name(), route.encoding().configName(),
          e.getMessage());
      return new Pending(r, route.signal(), 0, null);
    }
    return new Pending(r, route.signal(), route.signal().itemCount(batch), route.consume(batch));
  }

  /** The outcome of a message whose answer has come (counted in the receiver's metrics). */
  private Outcome outcome(Pending p) {
    if (p.answer() == null) {
      return Outcome.UNDECODABLE;
    }
    try {
      p.answer().get(0, TimeUnit.NANOSECONDS);
      telemetry.accepted(p.signal(), p.items());
      return Outcome.ACCEPTED;
    } catch (ExecutionException e) {
      telemetry.refused(p.signal(), p.items());
      ConsumeException c = ConsumeException.from(e.getCause());
      boolean mark = c.isRetryable() ? config.messageMarking.onError
          : config.markOnPermanentError();
      if (mark) {
        log.warn("the pipeline refused {} {} of message {}-{}@{} ({}); marked anyway"
            + " (message_marking), so they are dropped: {}", p.items(), p.signal().itemName(),
            p.record().topic(), p.record().partition(), p.record().offset(), c.kind(),
            c.getMessage());
        return Outcome.REFUSED_MARKED;
      }
      return Outcome.REFUSED;
    } catch (TimeoutException | CancellationException e) {
      telemetry.refused(p.signal(), p.items());
      return Outcome.REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.REFUSED;
    }
  }

  private void commit(boolean sync) {
    lastCommitNanos = System.nanoTime();
    if (marked.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(marked);
    if (sync) {
      // Kept marked until the commit succeeded, so a retry still has them.
      consumer.commitSync(offsets, untilDeadline(Duration.ofSeconds(10)));
      marked.clear();
    } else {
      marked.clear();
      consumer.commitAsync(offsets, (o, err) -> {
        if (err != null) {
          log.warn("committing offsets of group {} failed; they are committed with the next"
              + " ones or read again: {}", config.groupId, err.toString());
        }
      });
    }
  }

  /** The time left before the shutdown deadline, at most {@code cap} (all of it when running). */
  private Duration untilDeadline(Duration cap) {
    Instant d = deadline;
    if (d == null) {
      return cap;
    }
    Duration left = Duration.between(Instant.now(), d);
    return left.isNegative() ? Duration.ZERO : left.compareTo(cap) > 0 ? cap : left;
  }

  @Override
  public void shutdown(Instant deadline) {
    this.deadline = deadline;
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        log.warn("the Kafka consumer of group {} did not stop by the shutdown deadline;"
            + " uncommitted messages are read again at the next start", config.groupId);
      }
    }
  }
}
