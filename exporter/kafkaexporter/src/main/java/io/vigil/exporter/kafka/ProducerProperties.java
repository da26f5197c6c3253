package io.vigil.exporter.kafka;

import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Java producer's properties for a {@code kafka} exporter config. */
final class ProducerProperties {

  private ProducerProperties() {}

  static Properties of(KafkaExporterConfig c) {
    Properties p = c.clientProperties();
    ProducerSettings s = c.producer;
    boolean all = s.requiredAcks == -1;
    p.put("acks", all ? "all" : Integer.toString(s.requiredAcks));
    // Idempotence needs acks from every in-sync replica; with fewer acks the user chose
    // throughput over the no-duplicates-on-retry guarantee, and the client refuses the mix.
    p.put("enable.idempotence", Boolean.toString(all));
    p.put("compression.type", s.compression);
    if (s.compressionParams.level != 0 && !s.compression.equals("none")
        && !s.compression.equals("snappy")) {
      p.put("compression." + s.compression + ".level",
          Integer.toString(s.compressionParams.level));
    }
    long linger = s.linger.toMillis();
    long timeout = c.timeout.toMillis();
    p.put("linger.ms", Long.toString(linger));
    p.put("max.request.size", Integer.toString(s.maxMessageBytes));
    // One attempt of the exporterhelper is one delivery of the batch's messages: the producer
    // retries inside it (idempotently) and gives up at the same deadline, so the helper's
    // retry and backoff decide what happens next. send() blocks for metadata at most that long.
    p.put("delivery.timeout.ms", Long.toString(timeout));
    p.put("request.timeout.ms", Long.toString(Math.max(1, timeout - linger)));
    p.put("max.block.ms", Long.toString(timeout));
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    return p;
  }
}
