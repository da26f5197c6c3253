package io.vigil.exporter.kafka;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.kafka.OtlpEncoding;
import io.vigil.testing.TestData;
import java.util.List;
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
 * The exporter's own cost per batch of 512 spans, before the producer: splitting (whole batch,
 * per trace ID) and encoding (protobuf, OTLP/JSON). Divide by 512 for the cost per span.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessageSplitterBenchmark {

  @Param({"whole", "by_trace_id"})
  public String mode;

  @Param({"otlp_proto", "otlp_json"})
  public String encoding;

  private ExportTraceServiceRequest batch;
  private MessageSplitter<ExportTraceServiceRequest> splitter;

  @Setup
  public void setUp() {
    batch = TestData.spans(512);
    splitter = new MessageSplitter<>(Signal.TRACES, "otlp_spans",
        OtlpEncoding.parse("encoding", encoding), mode.equals("by_trace_id"), false, "");
  }

  @Benchmark
  public List<KafkaMessage> split() {
    return splitter.split(batch);
  }
}
