package io.vigil.receiver.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.TopicPartition;

/**
 * The pause of each partition whose messages the pipeline refused: the next try waits longer
 * after each refusal in a row, and the wait starts over once the pipeline accepts again. Used by
 * the poll thread only.
 */
final class PartitionBackoff {

  private final Duration initial;
  private final Duration max;
  private final double multiplier;
  private final double jitter;
  private final Map<TopicPartition, Duration> next = new HashMap<>();
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();

  PartitionBackoff(KafkaReceiverConfig.ErrorBackoff c) {
    if (c.enabled) {
      initial = c.initialInterval;
      max = c.maxInterval;
      multiplier = c.multiplier;
      jitter = c.randomizationFactor;
    } else {
      initial = Duration.ofMillis(100);
      max = Duration.ofSeconds(2);
      multiplier = 2;
      jitter = 0;
    }
  }

  /** Records a refusal of {@code tp}'s messages; returns how long it stays paused. */
  Duration refused(TopicPartition tp, long nowNanos) {
    Duration d = next.getOrDefault(tp, initial);
    long millis = d.toMillis();
    if (jitter > 0) {
      millis = Math.round(millis * (1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1)));
    }
    Duration grown = Duration.ofMillis(Math.round(d.toMillis() * multiplier));
    next.put(tp, grown.compareTo(max) > 0 ? max : grown);
    pausedUntil.put(tp, nowNanos + Duration.ofMillis(Math.max(1, millis)).toNanos());
    return Duration.ofMillis(millis);
  }

  void accepted(TopicPartition tp) {
    next.remove(tp);
  }

  /** The partitions whose pause is over, forgotten as paused. */
  List<TopicPartition> due(long nowNanos) {
    List<TopicPartition> out = new ArrayList<>();
    for (Iterator<Map.Entry<TopicPartition, Long>> it = pausedUntil.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<TopicPartition, Long> e = it.next();
      if (e.getValue() - nowNanos <= 0) {
        out.add(e.getKey());
        it.remove();
      }
    }
    return out;
  }

  boolean isPaused(TopicPartition tp) {
    return pausedUntil.containsKey(tp);
  }

  int pausedCount() {
    return pausedUntil.size();
  }

  /** A partition that left this consumer (rebalance): its state goes with it. */
  void forget(TopicPartition tp) {
    next.remove(tp);
    pausedUntil.remove(tp);
  }
}
