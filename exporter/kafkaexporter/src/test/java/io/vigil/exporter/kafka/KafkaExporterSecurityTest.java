package io.vigil.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.config.tls.TlsClientSettings;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.kafka.KafkaAuthSettings;
import io.vigil.kafka.SaslSettings;
import io.vigil.testing.TestCertificates;
import io.vigil.testing.TestData;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tls} and {@code auth::sasl} against a real broker with a {@code SASL_SSL} listener
 * (certificates made for the test): the right credentials deliver with each mechanism; a wrong
 * password or a CA that did not sign the broker's certificate fail the batch at once with an
 * error that says so, and nothing reaches the topic.
 */
class KafkaExporterSecurityTest {

  @TempDir static Path dir;
  private static TestCertificates.Ca ca;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    ca = TestCertificates.ca(dir, "kafka-ca");
    broker = KafkaBroker.startSaslSsl(ca, dir, Map.of("vigil-plain", "plain-secret"),
        Map.of("vigil", "scram-secret"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Exporter exporter(String topic, String mechanism, String user, String password,
      Path caFile) throws Exception {
    KafkaExporterConfig c = new KafkaExporterConfig();
    c.brokers = List.of(broker.secureBootstrapServers());
    c.timeout = Duration.ofSeconds(10);
    c.traces.topic = topic;
    // The batch's own answer carries the outcome: no queue in between, no retries.
    c.sendingQueue.enabled = false;
    c.retryOnFailure.enabled = false;
    c.tls = new TlsClientSettings();
    c.tls.caFile = caFile.toString();
    c.auth = new KafkaAuthSettings();
    c.auth.sasl = new SaslSettings();
    c.auth.sasl.mechanism = mechanism;
    c.auth.sasl.username = user;
    c.auth.sasl.password = password;
    c.validate();
    Exporter e = new KafkaExporterFactory().create(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("kafka"), new GatewayTelemetry()), c, Set.of(Signal.TRACES));
    e.start();
    return e;
  }

  private static ExportTraceServiceRequest spans(String name) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(TestData.resource("checkout")).addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(Span.newBuilder().setTraceId(TestData.randomId(16))
                .setSpanId(TestData.randomId(8)).setName(name)))).build();
  }

  /** Everything on {@code topic}, read over the plaintext listener for a bounded time. */
  private static List<ConsumerRecord<byte[], byte[]>> read(String topic, Duration within) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(broker.clientProperties(),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long until = System.nanoTime() + within.toNanos();
      while (out.isEmpty() && System.nanoTime() < until) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * The batch fails at once, not retried, naming the client's {@code exception} and the keys to
   * check; nothing reaches {@code topic}.
   */
  private static void assertRefusedWritingNothing(String topic, Exporter e, String exception) {
    try {
      assertThatThrownBy(() -> e.consumer(Signal.TRACES).consume(spans("refused"))
          .get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ConsumeException.class)
          .hasMessageContaining(exception)
          .hasMessageContaining("check tls::ca_file and auth::sasl")
          .satisfies(c -> assertThat(((ConsumeException) c).isRetryable()).isFalse());
    } finally {
      e.shutdown(Instant.now().plusSeconds(10));
    }
    assertThat(read(topic, Duration.ofSeconds(2))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})
  void theRightCredentialsOverTlsDeliver(String mechanism) throws Exception {
    String topic = "secure-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    boolean plain = mechanism.equals("PLAIN");
    Exporter e = exporter(topic, mechanism, plain ? "vigil-plain" : "vigil",
        plain ? "plain-secret" : "scram-secret", ca.certFile());
    try {
      e.consumer(Signal.TRACES).consume(spans("over " + mechanism)).get(60, TimeUnit.SECONDS);
    } finally {
      e.shutdown(Instant.now().plusSeconds(10));
    }
    List<ConsumerRecord<byte[], byte[]>> got = read(topic, Duration.ofSeconds(30));
    assertThat(got).hasSize(1);
    assertThat(ExportTraceServiceRequest.parseFrom(got.get(0).value()).getResourceSpans(0)
        .getScopeSpans(0).getSpans(0).getName()).isEqualTo("over " + mechanism);
  }

  @Test
  void aWrongPasswordFailsTheBatchSayingSoAndWritesNothing() throws Exception {
    String topic = "wrong-password-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    assertRefusedWritingNothing(topic,
        exporter(topic, "SCRAM-SHA-512", "vigil", "not-the-password", ca.certFile()),
        "SaslAuthenticationException");
  }

  @Test
  void aBrokerCertificateOfAnotherCaFailsTheBatchSayingSo() throws Exception {
    String topic = "wrong-ca-" + UUID.randomUUID();
    broker.createTopic(topic, 1);
    TestCertificates.Ca stranger = TestCertificates.ca(dir.resolve("stranger"), "stranger");
    assertRefusedWritingNothing(topic,
        exporter(topic, "SCRAM-SHA-512", "vigil", "scram-secret", stranger.certFile()),
        "SslAuthenticationException");
  }
}
