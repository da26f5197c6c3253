package io.vigil.receiver.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.kafka.KafkaAuthSettings;
import io.vigil.kafka.SaslSettings;
import io.vigil.testing.TestCertificates;
import io.vigil.testing.TestData;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls} and {@code auth::sasl} against a real broker's {@code SASL_SSL} listener: the right
 * SCRAM credentials read what was written; a wrong password reads nothing and the receiver still
 * stops within its deadline.
 */
class KafkaReceiverSecurityTest {

  @TempDir static Path dir;
  private static TestCertificates.Ca ca;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    ca = TestCertificates.ca(dir, "kafka-ca");
    broker = KafkaBroker.startSaslSsl(ca, dir, Map.of(), Map.of("reader", "reader-secret"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** A new topic holding one message with one span named {@code name}. */
  private static String topicWith(String name) throws Exception {
    String topic = "secure-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    produce(topic, name);
    return topic;
  }

  /** Writes one message with one span named {@code name}, over the plaintext listener. */
  private static void produce(String topic, String name) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(broker.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
              .addSpans(Span.newBuilder().setTraceId(TestData.randomId(16))
                  .setSpanId(TestData.randomId(8)).setName(name)))).build().toByteArray()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static Receiver start(String topic, String password, Queue<String> names)
      throws Exception {
    KafkaReceiverConfig c = new KafkaReceiverConfig();
    c.brokers = List.of(broker.secureBootstrapServers());
    c.traces.topic = topic;
    c.groupId = "secure-" + UUID.randomUUID();
    c.initialOffset = "earliest";
    c.tls = new TlsClientSettings();
    c.tls.caFile = ca.certFile().toString();
    c.auth = new KafkaAuthSettings();
    c.auth.sasl = new SaslSettings();
    c.auth.sasl.mechanism = "SCRAM-SHA-256";
    c.auth.sasl.username = "reader";
    c.auth.sasl.password = password;
    c.validate();
    io.vigil.core.Consumer<ExportTraceServiceRequest> pipeline = batch -> {
      batch.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
          ss.getSpansList().forEach(s -> names.add(s.getName()))));
      return CompletableFuture.completedFuture(null);
    };
    Receiver r = new KafkaReceiverFactory().create(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("kafka"), new GatewayTelemetry()), c,
        SignalConsumers.builder().put(Signal.TRACES, pipeline).build());
    r.start();
    return r;
  }

  @Test
  void theRightScramCredentialsOverTlsRead() throws Exception {
    String topic = topicWith("read over SASL_SSL");
    Queue<String> names = new ConcurrentLinkedQueue<>();
    Receiver r = start(topic, "reader-secret", names);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !names.isEmpty());
      assertThat(names).containsExactly("read over SASL_SSL");
    } finally {
      r.shutdown(Instant.now().plusSeconds(10));
    }
  }

  @Test
  void aWrongPasswordReadsNothingAndStopsInTime() throws Exception {
    String topic = topicWith("must not be read");
    Queue<String> names = new ConcurrentLinkedQueue<>();
    Receiver r = start(topic, "not-the-password", names);
    // A control on the same broker and topic, with the right password, reads the message: the
    // refused receiver had its chance for as long.
    Queue<String> control = new ConcurrentLinkedQueue<>();
    Receiver ok = start(topic, "reader-secret", control);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !control.isEmpty());
    } finally {
      ok.shutdown(Instant.now().plusSeconds(10));
    }
    long t0 = System.nanoTime();
    r.shutdown(Instant.now().plusSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(names).isEmpty();
  }
}
