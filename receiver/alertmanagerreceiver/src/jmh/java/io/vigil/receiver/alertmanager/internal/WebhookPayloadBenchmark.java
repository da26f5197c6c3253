package io.vigil.receiver.alertmanager.internal;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one webhook costs the gateway before the pipeline: parsing a version 4 payload of N
 * alerts and turning it into anomaly records. Alertmanager batches a group's alerts into one
 * notification, so a storm is a few large payloads, not many small ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WebhookPayloadBenchmark {

  @Param({"1", "100"})
  public int alerts;

  private byte[] body;
  private final Instant now = Instant.parse("2026-11-28T08:00:00Z");

  @Setup
  public void setUp() {
    StringBuilder b = new StringBuilder("{\"version\":\"4\",\"groupKey\":\"{}:{}\","
        + "\"status\":\"firing\",\"receiver\":\"vigil\",\"groupLabels\":{},"
        + "\"commonLabels\":{\"job\":\"orders\"},\"commonAnnotations\":{},"
        + "\"externalURL\":\"http://alertmanager:9093\",\"alerts\":[");
    for (int i = 0; i < alerts; i++) {
      b.append(i == 0 ? "" : ",").append("{\"status\":\"firing\",\"labels\":{\"alertname\":"
          + "\"HighErrorRate\",\"job\":\"orders\",\"severity\":\"critical\",\"instance\":"
          + "\"orders-").append(i).append("\"},\"annotations\":{\"summary\":\"orders returns"
          + " 5xx\",\"description\":\"12% of requests fail\"},\"startsAt\":"
          + "\"2026-11-28T07:00:00.123456789Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
          + "\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"")
          .append(Long.toHexString(0xc0ffee00L + i)).append("\"}");
    }
    body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public ExportLogsServiceRequest parseAndMap() throws PayloadException {
    return AlertRecords.of(WebhookPayloadParser.parse(body), now);
  }
}
