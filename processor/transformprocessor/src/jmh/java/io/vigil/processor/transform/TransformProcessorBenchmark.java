package io.vigil.processor.transform;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Processor;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost per span of a typical transform (copy a resource attribute onto the span, mask a password
 * with a regex, hash an e-mail where present, truncate every value) over a request of 512 spans
 * of 10 attributes; {@code no-change} runs statements whose where clauses never hold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransformProcessorBenchmark {
  private static final int SPANS = 512;

  @Param({"changes", "no-change"})
  public String mode;

  private Processor<ExportTraceServiceRequest> processor;
  private ExportTraceServiceRequest request;
  private Blackhole sink;

  @Setup
  public void setUp(Blackhole bh) {
    sink = bh;
    TransformConfig c = new TransformConfig();
    String where = mode.equals("changes") ? "" : " where span.name == \"never\"";
    c.traceStatements = List.of(
        "set(span.attributes[\"deployment.environment\"], resource.attributes[\"deployment.environment\"])" + where,
        "replace_pattern(span.attributes[\"db.statement\"], \"password=[^ ]*\", \"password=***\")" + where,
        "set(span.attributes[\"user.email\"], SHA256(span.attributes[\"user.email\"]))"
            + (where.isEmpty() ? " where span.attributes[\"user.email\"] != nil" : where),
        "truncate_all(span.attributes, 64)" + where);
    processor = new TransformProcessorFactory().create(
        new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.parse("transform"), new GatewayTelemetry()),
        c, Signal.TRACES, batch -> {
          sink.consume(batch);
          return CompletableFuture.completedFuture(null);
        });
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < SPANS; i++) {
      Span.Builder s = Span.newBuilder().setName("SELECT orders " + (i % 7));
      for (int a = 0; a < 8; a++) {
        s.addAttributes(kv("attr." + a, "value-" + a));
      }
      s.addAttributes(kv("db.statement", "connect user=app password=hunter2 db=orders"));
      s.addAttributes(kv("user.email", "user" + i + "@example.com"));
      ss.addSpans(s);
    }
    request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("deployment.environment", "prod")))
        .addScopeSpans(ss)).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void transformSpans() {
    processor.consume(request).join();
  }
}
