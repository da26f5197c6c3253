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
 * not committed (at least once; duplicates are bounded by one poll's messages and the commit
 * interval). Offsets are committed on the {@code autocommit} schedule, when partitions are
 * revoked, and at shutdown.
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
          + " not committed is read again after a restart): {}", config.groupId, e.toString(), e);
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

  private void handle(ConsumerRecords<byte[], byte[]> records) {
    boolean markOnReceipt = !config.messageMarking.after;
    Map<TopicPartition, List<Pending>> byPartition = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<Pending> list = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        list.add(dispatch(r));
      }
      byPartition.put(tp, list);
      if (markOnReceipt) {
        List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
        marked.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
      }
    }
    long waitUntil = System.nanoTime() + config.pipelineTimeout.toNanos();
    for (Map.Entry<TopicPartition, List<Pending>> e : byPartition.entrySet()) {
      TopicPartition tp = e.getKey();
      Long refusedAt = null;
      for (Pending p : e.getValue()) {
        Outcome o = await(p, waitUntil);
        if (o == Outcome.ACCEPTED || markOnReceipt || o == Outcome.UNDECODABLE
            || o == Outcome.REFUSED_MARKED) {
          if (refusedAt == null) {
            marked.put(tp, new OffsetAndMetadata(p.record().offset() + 1));
          }
        } else if (refusedAt == null) {
          refusedAt = p.record().offset();
        }
      }
      if (refusedAt != null && running) {
        // Read it again from the first refused message, after a pause: backpressure.
        consumer.seek(tp, refusedAt);
        consumer.pause(List.of(tp));
        Duration pause = backoff.refused(tp, System.nanoTime());
        log.debug("pipeline refused {} at offset {}; pausing the partition for {}", tp,
            refusedAt, pause);
      } else if (refusedAt != null) {
        consumer.seek(tp, refusedAt);
      } else {
        backoff.accepted(tp);
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

  private Outcome await(Pending p, long waitUntilNanos) {
    if (p.answer() == null) {
      return Outcome.UNDECODABLE;
    }
    long nanos = Math.min(waitUntilNanos - System.nanoTime(), untilDeadline(Duration.ofDays(1))
        .toNanos());
    try {
      p.answer().get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
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
    } catch (TimeoutException e) {
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
