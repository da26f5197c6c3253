package io.vigil.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Config of the prometheusremotewrite exporter: defaults, and errors by key. */
class RemoteWriteExporterConfigTest {

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() {
    var c = ConfigTestdata.load("good.yaml");
    var rw = (RemoteWriteExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.of("prometheusremotewrite")).config();
    assertThat(rw.externalLabels).containsEntry("cluster", "eu-1");
    assertThat(rw.sendingQueue.numConsumers).as("ordered delivery by default").isEqualTo(1);
    assertThat(rw.targetInfo.enabled).isTrue();
  }

  @Test
  void remoteWriteQueueIsTheCollectorsSpellingOfTheSendingQueue() {
    var c = ConfigTestdata.load("good-remote-write-queue.yaml");
    var rw = (RemoteWriteExporterConfig)
        c.component(ComponentKind.EXPORTER, ComponentId.of("prometheusremotewrite")).config();
    assertThat(rw.sendingQueue.enabled).isTrue();
    assertThat(rw.sendingQueue.queueSize).isEqualTo(10000);
    assertThat(rw.sendingQueue.numConsumers).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-endpoint.yaml | exporters::prometheusremotewrite::endpoint: required",
    "bad-external-label.yaml   | exporters::prometheusremotewrite::external_labels::__name__: not a valid label name",
    "bad-queue.yaml            | exporters::prometheusremotewrite::sending_queue::num_consumers: must be at least 1",
    "bad-unknown-key.yaml      | exporters::prometheusremotewrite::external_label: unknown key",
    "bad-wrong-type.yaml       | exporters::prometheusremotewrite::send_metadata: cannot use \"sometimes\" as true or false",
    "bad-remote-write-queue.yaml | exporters::prometheusremotewrite::remote_write_queue::num_consumers: must be at least 1",
    "bad-remote-write-queue-key.yaml | exporters::prometheusremotewrite::remote_write_queue::queue_sise: unknown key",
    "bad-both-queues.yaml      | exporters::prometheusremotewrite::remote_write_queue::queue_size: also set differently as sending_queue::queue_size; keep only remote_write_queue::queue_size",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
