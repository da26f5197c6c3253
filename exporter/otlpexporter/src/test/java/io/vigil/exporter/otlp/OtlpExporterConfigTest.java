package io.vigil.exporter.otlp;

import io.vigil.testing.ConfigTestdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.core.component.ComponentRegistry;
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.pipeline.PipelineGraph;
import io.vigil.extension.filestorage.FileStorageFactory;
import io.vigil.testing.TestComponents;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.exporterhelper.QueueSizer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpExporterConfigTest {

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() throws IOException {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var otlp = (OtlpExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("otlp")).config();
    assertThat(otlp.sendingQueue.queueSize).isEqualTo(10);
    assertThat(otlp.sendingQueue.numConsumers).isEqualTo(10);
    assertThat(otlp.retryOnFailure.maxElapsedTime).isEqualTo(Duration.ZERO);
    assertThat(otlp.retryOnFailure.initialInterval).isEqualTo(Duration.ofSeconds(5));
    assertThat(otlp.compression).isEqualTo("gzip");
    assertThat(otlp.headers).containsEntry("x-api-key", "abc");
    assertThat(otlp.sendingQueue.sizer).isEqualTo("requests");
    assertThat(otlp.sendingQueue.blockOnOverflow).isFalse();
  }

  @Test
  void sizerAndBlockOnOverflowUseTheCollectorsSpelling() throws IOException {
    GatewayConfig c = ConfigTestdata.load("good-sizer.yaml");
    var otlp = (OtlpExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("otlp")).config();
    assertThat(otlp.sendingQueue.queueSizer()).isEqualTo(QueueSizer.ITEMS);
    assertThat(otlp.sendingQueue.queueSize).isEqualTo(16384);
    assertThat(otlp.sendingQueue.blockOnOverflow).isTrue();
  }

  @Test
  void durableQueueReadsStorageAndBatchInTheCollectorsSpelling() {
    GatewayConfig c = ConfigTestdata.load("good-durable.yaml");
    var otlp = (OtlpExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("otlp")).config();
    assertThat(otlp.sendingQueue.storage).isEqualTo("file_storage/queue");
    assertThat(otlp.sendingQueue.numConsumers).isEqualTo(4);
    assertThat(otlp.sendingQueue.batch.flushTimeout).isEqualTo(Duration.ofMillis(100));
    assertThat(otlp.sendingQueue.batch.minSize).isEqualTo(1000);
    assertThat(otlp.sendingQueue.batch.maxSize).isEqualTo(5000);
  }

  @Test
  void memoryQueueBatchAndWaitForResultReadInTheCollectorsSpelling() {
    GatewayConfig c = ConfigTestdata.load("good-memory-batch.yaml");
    var otlp = (OtlpExporterConfig) c.component(ComponentKind.EXPORTER, ComponentId.of("otlp")).config();
    assertThat(otlp.sendingQueue.storage).isNull();
    assertThat(otlp.sendingQueue.waitForResult).isTrue();
    assertThat(otlp.sendingQueue.batch.sizer).isEqualTo("bytes");
    assertThat(otlp.sendingQueue.batch.flushTimeout).isEqualTo(Duration.ofMillis(50));
    assertThat(otlp.sendingQueue.batch.minSize).isEqualTo(65536);
    assertThat(otlp.sendingQueue.batch.maxSize).isEqualTo(1048576);
  }

  @Test
  void storageThatIsNotInServiceExtensionsFailsAtStartNamingTheKey() {
    // Built for real (the stand-in receiver cannot be): the error comes when otlp starts.
    ComponentRegistry test = new TestComponents().registry();
    ComponentRegistry registry = ComponentRegistry.builder()
        .add(ComponentKind.RECEIVER, test.factory(ComponentKind.RECEIVER, "testrcv"))
        .add(ComponentKind.EXPORTER, new OtlpExporterFactory())
        .add(ComponentKind.EXTENSION, new FileStorageFactory())
        .build();
    GatewayConfig c = new ConfigLoader(registry).load(
        ConfigTestdata.yaml("bad-storage-not-listed.yaml").replace("stand_in", "testrcv"));
    PipelineGraph graph = PipelineGraph.build(c, new GatewayTelemetry());
    assertThatThrownBy(graph::start)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("exporters::otlp::sending_queue::storage: extension"
            + " \"file_storage/queue\" is not running; configure it under extensions and list"
            + " it in service::extensions");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-missing-endpoint.yaml | exporters::otlp::endpoint: required",
    "bad-compression.yaml      | exporters::otlp::compression: unsupported value \"lz4\"; use none, gzip, zstd, snappy",
    "bad-queue-key.yaml        | exporters::otlp::sending_queue::queue_sise: unknown key",
    "bad-retry.yaml            | exporters::otlp::retry_on_failure::max_interval: must be at least initial_interval",
    "bad-unknown-key.yaml      | exporters::otlp::compresion: unknown key",
    "bad-tls-ca-missing.yaml   | exporters::otlp::tls::ca_file: no such file \"/nonexistent/vigil/ca.crt\"",
    "bad-tls-key-without-cert.yaml | exporters::otlp::tls::cert_file: required when key_file is set",
    "bad-wrong-type.yaml       | exporters::otlp::headers: wrong kind of value: expected a mapping",
    "bad-sizer.yaml            | exporters::otlp::sending_queue::sizer: unsupported value \"spans\"; use requests, items or bytes",
    "bad-max-items.yaml        | exporters::otlp::sending_queue::max_items: no longer supported; use the Collector's spelling: sizer: items with queue_size: 16384",
    "bad-storage-id.yaml       | exporters::otlp::sending_queue::storage: invalid component type",
    "bad-durable-sizer.yaml    | exporters::otlp::sending_queue::sizer: only requests (the default) with storage",
    "bad-batch-max-size.yaml   | exporters::otlp::sending_queue::batch::max_size: must be 0 (no limit) or at least min_size 100",
    "bad-block-on-overflow.yaml | exporters::otlp::sending_queue::block_on_overflow: cannot use \"sometimes\" as true or false",
    "bad-batch-sizer.yaml      | exporters::otlp::sending_queue::batch::sizer: unsupported value \"requests\"; use items or bytes",
    "bad-memory-batch-max-size.yaml | exporters::otlp::sending_queue::batch::max_size: must be 0 (no limit) or at least min_size 100",
    "bad-batch-without-queue.yaml | exporters::otlp::sending_queue::batch: needs the queue",
    "bad-wait-for-result.yaml  | exporters::otlp::sending_queue::wait_for_result: cannot use \"later\" as true or false",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

}
