package io.vigil.exporter.elasticsearch;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.testing.TelemetryPayloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The elasticsearch exporter's encoder: 512 realistic log records or spans to ECS documents
 * (index, _id, JSON source) and the NDJSON {@code _bulk} body, as one attempt does it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BulkEncodingBenchmark {

  private BulkDocuments documents;
  private ExportLogsServiceRequest logs;
  private ExportTraceServiceRequest spans;

  @Setup
  public void setUp() {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    documents = new BulkDocuments(RecordMapping.forMode("ecs"), IndexNames.logs(c),
        IndexNames.traces(c));
    TelemetryPayloads p = new TelemetryPayloads(7);
    logs = p.logs(512, 1_700_000_000_000_000_000L);
    spans = p.traces(512, 1_700_000_000_000_000_000L);
  }

  @Benchmark
  public byte[] logsToBulkBody() {
    return BulkRequestBody.write(documents.logs(logs));
  }

  @Benchmark
  public byte[] spansToBulkBody() {
    return BulkRequestBody.write(documents.spans(spans));
  }
}
