package io.vigil.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Metadata;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.Extension;
import io.vigil.core.component.Host;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.exporterhelper.BatchSettings;
import io.vigil.extension.filestorage.FileStorageConfig;
import io.vigil.extension.filestorage.FileStorageFactory;
import io.vigil.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The otlp exporter on a durable queue against a real grpc-java server: queued requests arrive
 * merged into one, sent as serialized bytes (no decode and re-encode), compressed or not, after
 * an outage of the server.
 */
class OtlpDurableQueueTest {

  @TempDir Path dir;
  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private FakeOtlpServer server;
  private Exporter exporter;
  private Extension storage;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(1));
    }
    if (storage != null) {
      storage.shutdown(Instant.now().plusSeconds(1));
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip"})
  void queuedRequestsArriveAsOneMergedRequestAfterTheServerRecovers(String compression)
      throws Exception {
    server = new FakeOtlpServer();
    server.answer = n -> n <= 3 ? Status.UNAVAILABLE.withDescription("warming up")
        .asRuntimeException() : ExportTraceServiceResponse.getDefaultInstance();
    FileStorageConfig fs = new FileStorageConfig();
    fs.directory = dir.toString();
    storage = new FileStorageFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("file_storage"), telemetry), fs);
    storage.start();
    Host host = () -> Map.of(ComponentId.of("file_storage"), storage);

    OtlpExporterConfig c = new OtlpExporterConfig();
    c.endpoint = server.endpoint();
    c.tls.insecure = true;
    c.compression = compression;
    c.retryOnFailure.initialInterval = Duration.ofMillis(10);
    c.retryOnFailure.maxInterval = Duration.ofMillis(50);
    c.sendingQueue.storage = "file_storage";
    c.sendingQueue.numConsumers = 1;
    c.sendingQueue.batch = new BatchSettings();
    c.sendingQueue.batch.minSize = 12;
    c.sendingQueue.batch.flushTimeout = Duration.ofSeconds(30);
    new OtlpExporterFactory().validate(c);
    exporter = new OtlpExporterFactory().create(new ComponentSettings(
        ComponentKind.EXPORTER, ComponentId.of("otlp"), telemetry, host), c, Set.of(Signal.TRACES));
    exporter.start();
    Consumer<ExportTraceServiceRequest> consumer = exporter.consumer(Signal.TRACES);

    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ExportTraceServiceRequest r = TestData.spans(3);
      sent.add(r);
      consumer.consume(r).get(5, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> server.calls.size() == 4);
    ExportTraceServiceRequest.Builder expected = ExportTraceServiceRequest.newBuilder();
    sent.forEach(r -> expected.addAllResourceSpans(r.getResourceSpansList()));
    assertThat(server.calls).allSatisfy(call ->
        assertThat(call.request()).as("the same merged request each attempt")
            .isEqualTo(expected.build()));
    if (!compression.equals("none")) {
      assertThat(server.calls.get(3).headers().get(
          Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo(compression);
    }
  }
}
