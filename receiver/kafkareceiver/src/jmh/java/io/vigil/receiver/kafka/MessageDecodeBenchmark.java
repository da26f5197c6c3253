package io.vigil.receiver.kafka;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.kafka.OtlpEncoding;
import io.vigil.testing.TestData;
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
 * The receiver's own cost per message of 512 spans, after the consumer fetched it: decoding
 * (protobuf, OTLP/JSON). Divide by 512 for the cost per span.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessageDecodeBenchmark {

  @Param({"otlp_proto", "otlp_json"})
  public String encoding;

  private OtlpEncoding codec;
  private byte[] message;

  @Setup
  public void setUp() {
    codec = OtlpEncoding.parse("encoding", encoding);
    message = codec.encode(TestData.spans(512));
  }

  @Benchmark
  public ExportTraceServiceRequest decode() {
    return codec.decode(Signal.TRACES, message);
  }
}
