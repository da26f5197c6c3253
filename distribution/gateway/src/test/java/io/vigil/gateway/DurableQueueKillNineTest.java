package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.vigil.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18's kill -9 test: a gateway child process with a durable sending queue is SIGKILLed
 * at random moments, 20 times, while an OpenTelemetry SDK client sends spans and the backend is
 * down part of the time. After a last start with the backend up, every span ID the client saw
 * acknowledged must arrive; duplicates (batches in flight at a kill, sent again) are counted,
 * bounded and printed.
 */
class DurableQueueKillNineTest {

  private static final int KILLS = Integer.getInteger("vigil.durable.kills", 20);
  private static final int NUM_CONSUMERS = 2;
  private static final int MAX_SIZE = 400;
  private static final int SPANS_PER_REQUEST = 40;

  @TempDir Path dir;

  private Path config(String grpc, String admin, String sink) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, String.join("\n",
        "extensions:",
        "  file_storage: {directory: '" + dir.resolve("queue") + "'}",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink,
        "    tls: {insecure: true}",
        "    timeout: 2s",
        "    retry_on_failure: {initial_interval: 20ms, max_interval: 200ms}",
        "    sending_queue:",
        "      storage: file_storage",
        "      num_consumers: " + NUM_CONSUMERS,
        "      queue_size: 1000000",
        "      batch: {flush_timeout: 20ms, min_size: 200, max_size: " + MAX_SIZE + "}",
        "service:",
        "  extensions: [file_storage]",
        "  telemetry: {metrics: {address: '" + admin + "'}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}",
        ""));
    return file;
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void everyAcknowledgedSpanArrivesAcrossKillNineAndBackendOutages() throws Exception {
    Random random = new Random(18);
    Path output = dir.resolve("gateway-output.txt");
    long acknowledgedAtKills = 0;
    try (TraceSink sink = new TraceSink()) {
      Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();
      for (int round = 0; round < KILLS; round++) {
        String grpc = FreePort.endpoint();
        String admin = FreePort.endpoint();
        sink.down = random.nextInt(3) > 0; // down in about two rounds of three, at first
        int flipAt = 1 + random.nextInt(10);
        int killAt = 1 + random.nextInt(15);
        GatewayProcess gateway = GatewayProcess.start(config(grpc, admin, sink.endpoint()),
            output, admin, "-Xmx256m");
        AtomicBoolean stop = new AtomicBoolean();
        try (SdkSpanClient client = new SdkSpanClient(grpc)) {
          Thread sender = new Thread(() -> {
            // Bounded: stops at the kill, or after 10,000 requests.
            for (int i = 0; i < 10_000 && !stop.get(); i++) {
              client.sendBatch(SPANS_PER_REQUEST);
              if (i == flipAt) {
                sink.down = !sink.down;
              }
            }
          }, "sdk-client");
          sender.start();
          await().atMost(Duration.ofSeconds(60))
              .until(() -> client.acknowledgedBatches.get() >= killAt || !sender.isAlive());
          gateway.kill();
          stop.set(true);
          sender.join(TimeUnit.SECONDS.toMillis(30));
          assertThat(sender.isAlive()).as("client stopped").isFalse();
          acknowledged.addAll(client.acknowledged);
          acknowledgedAtKills += client.acknowledgedBatches.get();
        }
      }
      sink.down = false;
      String grpc = FreePort.endpoint();
      String admin = FreePort.endpoint();
      try (GatewayProcess last = GatewayProcess.start(config(grpc, admin, sink.endpoint()),
          output, admin, "-Xmx256m")) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
            assertThat(sink.missing(acknowledged))
                .as("acknowledged span IDs not at the sink; gateway output in " + output)
                .isEmpty());
      }
      long duplicates = sink.duplicates();
      // Each kill can cut at most num_consumers batches of at most max_size spans short
      // after the sink accepted them and before the queue committed past them.
      long bound = (long) KILLS * NUM_CONSUMERS * MAX_SIZE;
      System.out.printf("DurableQueueKillNineTest: %d kills, %d acknowledged requests, %d"
              + " acknowledged spans, all delivered; %d duplicate deliveries (bound %d),"
              + " %d refusals while the sink was down%n", KILLS, acknowledgedAtKills,
          acknowledged.size(), duplicates, bound, sink.refused.get());
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(KILLS * SPANS_PER_REQUEST);
      assertThat(duplicates).isLessThanOrEqualTo(bound);
    }
  }
}
