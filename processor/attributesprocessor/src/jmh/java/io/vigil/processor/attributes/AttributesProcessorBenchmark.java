package io.vigil.processor.attributes;

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
import io.vigil.core.config.ConfigLoader;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.processor.attraction.ActionConfig;
import java.util.List;
import java.util.Map;
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
 * Cost per span of a typical scrubbing config (upsert an environment tag, hash an e-mail, delete
 * by pattern, with an include on service names) over a request of 512 spans of 12 attributes;
 * and of the same config when it changes nothing (the pass-through case).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AttributesProcessorBenchmark {
  private static final int SPANS = 512;

  @Param({"changes", "no-change"})
  public String mode;

  private Processor<ExportTraceServiceRequest> processor;
  private ExportTraceServiceRequest request;
  private Blackhole sink;

  @Setup
  public void setUp(Blackhole bh) {
    sink = bh;
    AttributesConfig c = new AttributesConfig();
    c.actions = List.of(action("deployment.environment", "upsert", "prod"),
        action("user.email", "hash", null), pattern("^password", "delete"));
    MatchConfig include = new MatchConfig();
    include.matchType = "regexp";
    include.services = List.of("check.*", "pay.*");
    c.include = include;
    if (mode.equals("no-change")) {
      c.actions = List.of(action("absent.key", "update", "x"), action("another.absent", "delete", null));
    }
    processor = new AttributesProcessorFactory().create(
        new ComponentSettings(ComponentKind.PROCESSOR, ComponentId.of("attributes"), new GatewayTelemetry()),
        c, Signal.TRACES, b -> {
          sink.consume(b);
          return CompletableFuture.completedFuture(null);
        });
    ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < SPANS; i++) {
      Span.Builder s = Span.newBuilder().setName("GET /api/cart/" + (i % 7));
      for (int a = 0; a < 10; a++) {
        s.addAttributes(kv("http.attr." + a, "value-" + a + "-" + i));
      }
      s.addAttributes(kv("user.email", "user" + i + "@example.com"));
      s.addAttributes(kv("password.hint", "x"));
      ss.addSpans(s);
    }
    r.addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "checkout")))
        .addScopeSpans(ss));
    request = r.build();
  }

  private static ActionConfig action(String key, String action, Object value) {
    return ConfigLoader.configBinder().convertValue(
        value == null ? Map.of("key", key, "action", action) : Map.of("key", key, "action", action, "value", value),
        ActionConfig.class);
  }

  private static ActionConfig pattern(String pattern, String action) {
    return ConfigLoader.configBinder().convertValue(Map.of("pattern", pattern, "action", action),
        ActionConfig.class);
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void perSpan() {
    processor.consume(request).join();
  }
}
