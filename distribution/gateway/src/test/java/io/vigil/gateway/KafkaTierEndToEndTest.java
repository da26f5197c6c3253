package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.vigil.testing.FreePort;
import io.vigil.testing.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #26's Kafka tier: the OpenTelemetry SDK sends spans to gateway A (in this JVM), whose
 * {@code kafka} exporter writes them, one message per trace, to a real KRaft broker (a child
 * JVM); gateway B, a child process, reads them with the {@code kafka} receiver and forwards them
 * over OTLP to a backend here. Mid-stream, the backend takes 400 spans and then refuses, so B
 * holds messages it read but could not get accepted (uncommitted) while more wait in the topic;
 * B is SIGKILLed there, the second half is written while no consumer runs, and a new B starts
 * in the same consumer group. Exactly the span IDs A acknowledged must reach the backend, none
 * lost, none invented; duplicates (forwarded by B but not yet committed when it died) are
 * counted.
 */
class KafkaTierEndToEndTest {

  private static final int BATCHES = 150;
  private static final int SPANS_PER_BATCH = 20;

  @TempDir Path dir;

  private Path consumerConfig(String brokers, String sink, String admin) throws Exception {
    Path file = dir.resolve("consumer-" + admin.replace(':', '_') + ".yaml");
    Files.writeString(file, String.join("\n",
        "receivers:",
        "  kafka:",
        "    brokers: ['" + brokers + "']",
        "    group_id: vigil-tier-2",
        "    initial_offset: earliest",
        "    session_timeout: 6s",
        "    heartbeat_interval: 1s",
        "    autocommit: {interval: 200ms}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink,
        "    tls: {insecure: true}",
        "    sending_queue: {wait_for_result: true}",
        "    retry_on_failure: {initial_interval: 50ms, max_interval: 200ms}",
        "service:",
        "  telemetry: {metrics: {address: '" + admin + "'}}",
        "  pipelines: {traces: {receivers: [kafka], exporters: [otlp]}}",
        ""));
    return file;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void exactlyTheAcknowledgedSpansArriveAcrossAConsumerKilledMidStream() throws Exception {
    Path output = dir.resolve("consumer-output.txt");
    try (KafkaBroker broker = KafkaBroker.start(); TraceSink sink = new TraceSink()) {
      broker.createTopic("otlp_spans", 3);
      String aGrpc = FreePort.endpoint();
      try (Gateway a = Gateway.start(String.join("\n",
          "receivers: {otlp: {protocols: {grpc: {endpoint: '" + aGrpc + "'}}}}",
          "exporters:",
          "  kafka:",
          "    brokers: ['" + broker.bootstrapServers() + "']",
          "    partition_traces_by_id: true",
          "    retry_on_failure: {initial_interval: 50ms, max_interval: 500ms}",
          "service:",
          "  telemetry: {metrics: {address: ''}}",
          "  pipelines: {traces: {receivers: [otlp], exporters: [kafka]}}"),
          Duration.ofSeconds(10));
          SdkSpanClient client = new SdkSpanClient(aGrpc)) {
        // The backend takes the first 400 spans, then refuses: B is stopped mid-stream with
        // messages read and refused, hence uncommitted, and more waiting in the topic.
        sink.downAt = 400;
        for (int i = 0; i < BATCHES / 2; i++) {
          client.sendBatch(SPANS_PER_BATCH);
        }
        String admin1 = FreePort.endpoint();
        GatewayProcess b = GatewayProcess.start(
            consumerConfig(broker.bootstrapServers(), sink.endpoint(), admin1), output, admin1,
            "-Xmx256m");
        try {
          await().atMost(Duration.ofSeconds(90)).until(() -> sink.refused.get() > 0);
          b.kill();
        } finally {
          b.close();
        }
        int atKill = sink.received.size();
        assertThat(atKill).as("killed mid-stream").isLessThan(BATCHES / 2 * SPANS_PER_BATCH);
        // Written while no consumer runs.
        for (int i = BATCHES / 2; i < BATCHES; i++) {
          client.sendBatch(SPANS_PER_BATCH);
        }
        sink.downAt = Integer.MAX_VALUE;
        sink.down = false;
        String admin2 = FreePort.endpoint();
        try (GatewayProcess b2 = GatewayProcess.start(
            consumerConfig(broker.bootstrapServers(), sink.endpoint(), admin2), output, admin2,
            "-Xmx256m")) {
          Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();
          acknowledged.addAll(client.acknowledged);
          assertThat(client.failedBatches.get()).isZero();
          assertThat(acknowledged).hasSize(BATCHES * SPANS_PER_BATCH);
          await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
              assertThat(sink.missing(acknowledged))
                  .as("acknowledged span IDs not at the backend; consumer output in " + output)
                  .isEmpty());
          assertThat(sink.received.keySet()).as("nothing but the sent spans")
              .isEqualTo(acknowledged);
          System.out.printf("KafkaTierEndToEndTest: %d spans acknowledged by gateway A; B was"
                  + " SIGKILLed with %d at the backend and %d refusals; all at the backend"
                  + " after a new B; %d duplicate deliveries%n", acknowledged.size(), atKill,
              sink.refused.get(), sink.duplicates());
        }
      }
    }
  }
}
