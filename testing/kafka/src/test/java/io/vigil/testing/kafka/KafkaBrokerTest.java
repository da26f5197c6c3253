package io.vigil.testing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker starts on loopback and a record makes the round trip through a consumer group. */
class KafkaBrokerTest {

  @Test
  void aRecordProducedIsConsumedByAGroup() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      broker.createTopic("smoke", 2);
      Properties p = broker.clientProperties();
      p.put("acks", "all");
      try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("smoke", "k", "hello")).get();
      }
      Properties c = broker.clientProperties();
      c.put("group.id", "smoke");
      c.put("auto.offset.reset", "earliest");
      List<String> got = new ArrayList<>();
      try (var consumer =
          new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("smoke"));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.isEmpty() && System.nanoTime() < until) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            got.add(r.value());
          }
        }
      }
      assertThat(got).containsExactly("hello");
    }
  }
}
