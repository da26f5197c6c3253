package io.vigil.receiver.kafka;

import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The Java consumer's properties for a {@code kafka} receiver config. */
final class ConsumerProperties {

  private ConsumerProperties() {}

  static Properties of(KafkaReceiverConfig c) {
    Properties p = c.clientProperties();
    p.put("group.id", c.groupId);
    if (!c.groupInstanceId.isBlank()) {
      p.put("group.instance.id", c.groupInstanceId);
    }
    p.put("auto.offset.reset", c.initialOffset);
    // The receiver commits itself, and only what it marked (see KafkaReceiver).
    p.put("enable.auto.commit", "false");
    p.put("session.timeout.ms", Long.toString(c.sessionTimeout.toMillis()));
    p.put("heartbeat.interval.ms", Long.toString(c.heartbeatInterval.toMillis()));
    p.put("partition.assignment.strategy",
        KafkaReceiverConfig.ASSIGNORS.get(c.groupRebalanceStrategy));
    p.put("fetch.min.bytes", Integer.toString(c.minFetchSize));
    p.put("max.partition.fetch.bytes", Integer.toString(c.defaultFetchSize));
    if (c.maxFetchSize > 0) {
      p.put("fetch.max.bytes", Integer.toString(c.maxFetchSize));
    }
    p.put("fetch.max.wait.ms", Long.toString(c.maxFetchWait.toMillis()));
    // A poll's messages are handled before the next poll: allow the pipeline its timeout.
    p.put("max.poll.interval.ms",
        Long.toString(Math.max(300_000L, c.pipelineTimeout.toMillis() * 2)));
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return p;
  }
}
