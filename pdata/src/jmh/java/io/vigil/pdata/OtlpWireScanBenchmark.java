package io.vigil.pdata;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Random;
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
 * What a receiver pays per request to accept it: decoding it ({@code parse}, what it did before)
 * against checking and counting it on the wire ({@code scan}, when only durable queues follow).
 * Spans as an instrumented HTTP server sends them: eight attributes, an event on some.
 * Run: {@code testbed/jmh pdata OtlpWireScanBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class OtlpWireScanBenchmark {

  @Param({"512"})
  public int spans;

  private byte[] request;

  @Setup
  public void build() {
    Random r = new Random(7);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      byte[] trace = new byte[16];
      byte[] id = new byte[8];
      r.nextBytes(trace);
      r.nextBytes(id);
      Span.Builder s = scope.addSpansBuilder().setTraceId(ByteString.copyFrom(trace))
          .setSpanId(ByteString.copyFrom(id)).setParentSpanId(ByteString.copyFrom(id))
          .setName("GET /api/orders/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
          .setEndTimeUnixNano(1_700_000_000_020_000_000L + i);
      s.addAttributes(kv("http.request.method", "GET"))
          .addAttributes(kv("http.route", "/api/orders/{id}"))
          .addAttributes(kv("url.path", "/api/orders/" + r.nextInt(100000)))
          .addAttributes(kv("server.address", "orders.shop.svc.cluster.local"))
          .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"))
          .addAttributes(kv("network.peer.address", "10.1.2." + r.nextInt(255)))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(200)))
          .addAttributes(KeyValue.newBuilder().setKey("server.port")
              .setValue(AnyValue.newBuilder().setIntValue(8080)));
      if (i % 5 == 0) {
        s.addEventsBuilder().setName("exception").setTimeUnixNano(1_700_000_000_010_000_000L)
            .addAttributes(kv("exception.type", "java.net.SocketTimeoutException"));
      }
    }
    request = ExportTraceServiceRequest.newBuilder().addResourceSpans(
        io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", "orders")))
            .addScopeSpans(scope)).build().toByteArray();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  @Benchmark
  public ExportTraceServiceRequest parse() throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(request);
  }

  @Benchmark
  public int scan() throws InvalidProtocolBufferException {
    return OtlpWireScan.items(ExportTraceServiceRequest.getDescriptor(), request);
  }
}
