package io.vigil.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.kafka.OtlpEncoding;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Collector's kafka exporter configs load; bad ones name the key. */
class KafkaExporterConfigTest {

  private static KafkaExporterConfig exporter(GatewayConfig c, String id) {
    return (KafkaExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.parse(id))
        .config();
  }

  @Test
  void theCollectorsExampleLoads() {
    GatewayConfig c = ConfigTestdata.load("collector-example.yaml");
    KafkaExporterConfig k = exporter(c, "kafka");
    assertThat(k.brokers).containsExactly("foo:123", "bar:456");
    assertThat(k.topic(Signal.TRACES)).isEqualTo("spans");
    assertThat(k.topic(Signal.LOGS)).isEqualTo("spans");
    assertThat(k.partitionTracesById).isTrue();
    assertThat(k.producer.maxMessageBytes).isEqualTo(10_000_000);
    assertThat(k.timeout).isEqualTo(Duration.ofSeconds(10));
    assertThat(k.retryOnFailure.maxElapsedTime).isEqualTo(Duration.ofMinutes(10));

    KafkaExporterConfig p = exporter(c, "kafka/per_signal");
    assertThat(p.topic(Signal.TRACES)).isEqualTo("spans_json");
    assertThat(p.encoding(Signal.TRACES)).isEqualTo(OtlpEncoding.OTLP_JSON);
    assertThat(p.topic(Signal.METRICS)).isEqualTo("metrics_topic");
    assertThat(p.encoding(Signal.METRICS)).isEqualTo(OtlpEncoding.OTLP_PROTO);
    Properties props = ProducerProperties.of(p);
    assertThat(props).containsEntry("acks", "1").containsEntry("enable.idempotence", "false")
        .containsEntry("compression.type", "zstd").containsEntry("compression.zstd.level", "3")
        .containsEntry("linger.ms", "5").containsEntry("metadata.max.age.ms", "300000")
        .containsEntry("bootstrap.servers", "kafka-0:9092");
  }

  @Test
  void saslOverTlsMapsOntoTheClientsSecurityProperties() {
    KafkaExporterConfig k = exporter(ConfigTestdata.load("good-sasl-ssl.yaml"), "kafka");
    Properties props = ProducerProperties.of(k);
    assertThat(props).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram"
            + ".ScramLoginModule required username=\"vigil\" password=\"s3cr\\\"et\";")
        .containsEntry("ssl.enabled.protocols", "TLSv1.3")
        .containsEntry("ssl.protocol", "TLSv1.3")
        .doesNotContainKey("ssl.truststore.location");
    KafkaExporterConfig d = new KafkaExporterFactory().createDefaultConfig();
    assertThat(ProducerProperties.of(d)).doesNotContainKey("security.protocol")
        .doesNotContainKey("sasl.jaas.config");
  }

  @Test
  void theDefaultsAreTheCollectorsExceptAcksFromAllReplicas() {
    KafkaExporterConfig d = new KafkaExporterFactory().createDefaultConfig();
    assertThat(d.brokers).containsExactly("localhost:9092");
    assertThat(d.topic(Signal.TRACES)).isEqualTo("otlp_spans");
    assertThat(d.topic(Signal.METRICS)).isEqualTo("otlp_metrics");
    assertThat(d.topic(Signal.LOGS)).isEqualTo("otlp_logs");
    assertThat(d.encoding(Signal.LOGS)).isEqualTo(OtlpEncoding.OTLP_PROTO);
    assertThat(d.clientId).isEqualTo("otel-collector");
    Properties props = ProducerProperties.of(d);
    assertThat(props).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
        .containsEntry("compression.type", "none").containsEntry("delivery.timeout.ms", "5000");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml    | exporters::kafka::partition_trace_by_id: unknown key",
    "bad-broker.yaml         | exporters::kafka::brokers::1: expected host:port",
    "bad-encoding.yaml       | exporters::kafka::traces::encoding: unsupported encoding \"jaeger_proto\"",
    "bad-required-acks.yaml  | exporters::kafka::producer::required_acks: must be -1",
    "bad-compression.yaml    | exporters::kafka::producer::compression: unsupported value \"brotli\"",
    "bad-empty-topic.yaml    | exporters::kafka::logs::topic: must not be empty",
    "bad-auto-create.yaml    | exporters::kafka::producer::allow_auto_topic_creation: false is not supported",
    "bad-sasl-mechanism.yaml | exporters::kafka::auth::sasl::mechanism: expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, got \"GSSAPI\"",
    "bad-sasl-no-password.yaml | exporters::kafka::auth::sasl::password: required with sasl",
    "bad-tls-skip-verify.yaml | exporters::kafka::tls::insecure_skip_verify: not supported by the Kafka client",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
