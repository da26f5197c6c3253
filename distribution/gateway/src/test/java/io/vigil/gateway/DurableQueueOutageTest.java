package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.testing.FreePort;
import io.vigil.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway child process with a durable sending queue while its backend is down: a long
 * outage (60 s; {@code -Dvigil.durable.outageSeconds=600} for the 10-minute run) loses nothing
 * and keeps the heap flat, because the queue is on disk; a full disk budget refuses clients
 * retryably and loses nothing acknowledged.
 */
class DurableQueueOutageTest {

  private static final int OUTAGE_SECONDS = Integer.getInteger("vigil.durable.outageSeconds", 60);
  /** Generous: a heap that grew with the queued data would grow by far more (see README). */
  private static final long HEAP_GROWTH_BOUND = 48L << 20;

  @TempDir Path dir;

  private Path config(String grpc, String admin, String sink, String storage) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, String.join("\n",
        "extensions:",
        "  file_storage: {directory: '" + dir.resolve("queue") + "'" + storage + "}",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink,
        "    tls: {insecure: true}",
        "    timeout: 2s",
        "    retry_on_failure: {initial_interval: 50ms, max_interval: 1s}",
        "    sending_queue:",
        "      storage: file_storage",
        "      num_consumers: 4",
        "      queue_size: 10000000",
        "      batch: {flush_timeout: 50ms, min_size: 2000, max_size: 5000}",
        "service:",
        "  extensions: [file_storage]",
        "  telemetry: {metrics: {address: '" + admin + "'}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}",
        ""));
    return file;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void backendDownForAMinuteLosesNothingAndKeepsTheHeapFlat() throws Exception {
    String grpc = FreePort.endpoint();
    String admin = FreePort.endpoint();
    Path output = dir.resolve("gateway-output.txt");
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    try (TraceSink sink = new TraceSink();
        GatewayProcess gateway = GatewayProcess.start(
            config(grpc, admin, sink.endpoint(), ""), output, admin, "-Xmx256m");
        SdkSpanClient client = new SdkSpanClient(grpc)) {
      // Warm up with the backend up, so class loading and pools are in the baseline.
      for (int i = 0; i < 200; i++) {
        client.sendBatch(50);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.missing(client.acknowledged).isEmpty());
      long heapBefore = gateway.heapAfterGc();

      sink.down = true;
      // 50 spans every 20 ms (2,500 spans/s) for the whole outage.
      int ticks = OUTAGE_SECONDS * 50;
      CountDownLatch outage = new CountDownLatch(ticks);
      ticker.scheduleAtFixedRate(() -> {
        if (outage.getCount() > 0) {
          client.sendBatch(50);
          outage.countDown();
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      assertThat(outage.await(OUTAGE_SECONDS * 3L + 60, TimeUnit.SECONDS)).isTrue();
      ticker.shutdown();
      assertThat(ticker.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      long heapDuring = gateway.heapAfterGc();
      double queued = gateway.metric("otelcol_exporter_queue_size", "exporter=\"otlp\"");
      double retries = gateway.metric("vigil_exporter_send_retries_total", "exporter=\"otlp\"");
      int acknowledgedDuringOutage = client.acknowledged.size();

      sink.down = false;
      await().atMost(Duration.ofSeconds(OUTAGE_SECONDS * 2L + 60)).untilAsserted(() ->
          assertThat(sink.missing(client.acknowledged)).as("lost; output in " + output).isEmpty());
      long heapAfter = gateway.heapAfterGc();

      System.out.printf("DurableQueueOutageTest: %d s outage, %d spans acknowledged, %d queued"
              + " requests and %.0f retries at its end; heap after GC %d MiB before, %d MiB at"
              + " the end of the outage, %d MiB after recovery; %d duplicates%n",
          OUTAGE_SECONDS, acknowledgedDuringOutage, (long) queued, retries, heapBefore >> 20,
          heapDuring >> 20, heapAfter >> 20, sink.duplicates());
      assertThat(queued).as("the outage's requests wait in the queue").isGreaterThan(0);
      assertThat(retries).isGreaterThan(0);
      assertThat(heapDuring - heapBefore).as("heap growth during the outage")
          .isLessThan(HEAP_GROWTH_BOUND);
      assertThat(heapAfter - heapBefore).as("heap growth after recovery")
          .isLessThan(HEAP_GROWTH_BOUND);
      String log = Files.readString(output);
      assertThat(log.split("cannot deliver traces", -1)).as("one WARN per outage")
          .hasSize(2);
      assertThat(log).contains("sink is down for the test").contains("delivers traces again after");
    } finally {
      ticker.shutdownNow();
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void diskBudgetReachedRefusesClientsRetryablyAndLosesNothingAcknowledged() throws Exception {
    String grpc = FreePort.endpoint();
    String admin = FreePort.endpoint();
    Path output = dir.resolve("gateway-output.txt");
    ManagedChannel channel = ManagedChannelBuilder.forTarget(grpc).usePlaintext().build();
    try (TraceSink sink = new TraceSink();
        GatewayProcess gateway = GatewayProcess.start(config(grpc, admin, sink.endpoint(),
            ", max_disk_bytes: 262144, segment_bytes: 65536"), output, admin, "-Xmx256m")) {
      sink.down = true;
      var stub = TraceServiceGrpc.newBlockingStub(channel);
      Set<ByteString> acknowledged = new HashSet<>();
      StatusRuntimeException refusal = null;
      // 256 KiB hold a few hundred of these requests: the loop ends long before its bound.
      for (int i = 0; i < 20_000 && refusal == null; i++) {
        ExportTraceServiceRequest r = TestData.spans(20);
        try {
          stub.withDeadlineAfter(10, TimeUnit.SECONDS).export(r);
          r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
              ss -> ss.getSpansList().forEach(s -> acknowledged.add(s.getSpanId()))));
        } catch (StatusRuntimeException e) {
          refusal = e;
        }
      }
      assertThat(refusal).as("refused once the budget is used").isNotNull();
      assertThat(refusal.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refusal.getStatus().getDescription()).contains("out of disk budget");
      RetryInfo retry = StatusProto.fromThrowable(refusal).getDetails(0).unpack(RetryInfo.class);
      assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
      assertThat(gateway.process.isAlive()).as("never crashes").isTrue();

      sink.down = false;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(sink.missing(acknowledged)).as("lost; output in " + output).isEmpty());
      // Consumed segments are deleted: the queue takes requests again.
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
          stub.withDeadlineAfter(10, TimeUnit.SECONDS).export(TestData.spans(20)));
      System.out.printf("DurableQueueOutageTest: disk budget full after %d acknowledged spans;"
          + " refused with %s, all delivered after recovery%n", acknowledged.size(),
          refusal.getStatus().getCode());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
