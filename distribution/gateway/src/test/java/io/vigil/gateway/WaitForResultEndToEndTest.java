package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.vigil.testing.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sending_queue::wait_for_result} seen from an OpenTelemetry SDK client, for the durable
 * and the in-memory queue: with it, the client's export is answered only once the backend took
 * the spans; without it (the default), as soon as they are queued, while the backend still
 * refuses.
 */
class WaitForResultEndToEndTest {

  @TempDir Path dir;
  private RawBytesTraceSink sink;
  private String grpc;

  @BeforeEach
  void start() throws Exception {
    sink = new RawBytesTraceSink();
    sink.refusal = Status.UNAVAILABLE.withDescription("restarting");
    grpc = FreePort.endpoint();
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
  }

  private Gateway gateway(String queue) {
    return Gateway.start(String.join("\n",
        "extensions:",
        "  file_storage: {directory: '" + dir.resolve("queue") + "'}",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink.endpoint(),
        "    tls: {insecure: true}",
        "    retry_on_failure: {initial_interval: 20ms, max_interval: 50ms}",
        "    sending_queue: " + queue,
        "service:",
        "  extensions: [file_storage]",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}",
        ""), Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{storage: file_storage, wait_for_result: true}",
      "{wait_for_result: true}"})
  void withWaitForResultTheClientIsAnsweredOnlyOnceTheBackendTookTheSpans(String queue)
      throws Exception {
    try (Gateway g = gateway(queue); SdkSpanClient client = new SdkSpanClient(grpc)) {
      CompletableFuture<Boolean> answered = CompletableFuture.supplyAsync(() -> client.sendBatch(4));
      await().atMost(Duration.ofSeconds(4)).until(() -> sink.refused.get() >= 2);
      assertThat(answered).as("queued, refused by the backend: not answered yet").isNotDone();

      sink.refusal = null;
      assertThat(answered.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sink.spanIds()).isEqualTo(client.acknowledged).hasSize(4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{storage: file_storage}", "{queue_size: 100}"})
  void withoutItTheClientIsAnsweredOnceQueuedWhileTheBackendStillRefuses(String queue)
      throws Exception {
    try (Gateway g = gateway(queue); SdkSpanClient client = new SdkSpanClient(grpc)) {
      assertThat(client.sendBatch(4)).isTrue();
      assertThat(sink.requests).isEmpty();

      sink.refusal = null;
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.spanIds().size() == 4);
    }
  }
}
