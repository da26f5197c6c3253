package io.vigil.receiver.kafka;

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

/** The Collector's kafka receiver keys load; bad configs name the key. */
class KafkaReceiverConfigTest {

  @Test
  void theCollectorsKeysLoad() {
    GatewayConfig c = ConfigTestdata.load("collector-example.yaml");
    var k = (KafkaReceiverConfig) c.component(ComponentKind.RECEIVER, ComponentId.of("kafka"))
        .config();
    assertThat(k.topic(Signal.TRACES)).isEqualTo("spans");
    assertThat(k.encoding(Signal.TRACES)).isEqualTo(OtlpEncoding.OTLP_JSON);
    assertThat(k.topic(Signal.LOGS)).isEqualTo("logs");
    assertThat(k.markOnPermanentError()).isTrue();
    assertThat(k.errorBackoff.maxInterval).isEqualTo(Duration.ofSeconds(10));
    Properties p = ConsumerProperties.of(k);
    assertThat(p).containsEntry("group.id", "the_group_id")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("session.timeout.ms", "45000")
        .containsEntry("partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.RoundRobinAssignor")
        .containsEntry("fetch.min.bytes", "10").containsEntry("fetch.max.bytes", "2097152")
        .containsEntry("fetch.max.wait.ms", "500").containsEntry("retry.backoff.ms", "5000")
        .containsEntry("bootstrap.servers", "foo:123,bar:456");
    var legacy = (KafkaReceiverConfig) c.component(ComponentKind.RECEIVER,
        ComponentId.parse("kafka/legacy")).config();
    assertThat(legacy.topic(Signal.TRACES)).isEqualTo("legacy_spans");
  }

  @Test
  void theDefaultsAreTheCollectorsExceptMarkingAfterAcceptance() {
    KafkaReceiverConfig d = new KafkaReceiverFactory().createDefaultConfig();
    assertThat(d.groupId).isEqualTo("otel-collector");
    assertThat(d.initialOffset).isEqualTo("latest");
    assertThat(d.topic(Signal.TRACES)).isEqualTo("otlp_spans");
    assertThat(d.topic(Signal.METRICS)).isEqualTo("otlp_metrics");
    assertThat(d.topic(Signal.LOGS)).isEqualTo("otlp_logs");
    assertThat(d.messageMarking.after).isTrue();
    assertThat(d.messageMarking.onError).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml     | receivers::kafka::group: unknown key",
    "bad-initial-offset.yaml  | receivers::kafka::initial_offset: unsupported value \"oldest\"",
    "bad-strategy.yaml        | receivers::kafka::group_rebalance_strategy: unsupported value \"fair\"",
    "bad-sasl-mechanism.yaml  | receivers::kafka::auth::sasl::mechanism: expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, got \"AWS_MSK_IAM_OAUTHBEARER\" (AWS MSK IAM is not supported)",
    "bad-tls-twice.yaml       | receivers::kafka::auth::tls: set either tls or auth::tls",
    "bad-heartbeat.yaml       | receivers::kafka::heartbeat_interval: must be shorter than session_timeout",
    "bad-encoding.yaml        | receivers::kafka::metrics::encoding: unsupported encoding \"zipkin_json\"",
    "bad-empty-group.yaml     | receivers::kafka::group_id: must not be empty",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
