package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.vigil.core.Signal;
import io.vigil.testing.CaptureExporterFactory;
import io.vigil.testing.FreePort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two tiers in this JVM: the OpenTelemetry SDK sends each trace's root span to load-balancing
 * gateway 1 and its child spans to load-balancing gateway 2; both route by trace ID to three
 * tail-sampling gateways (status_code ERROR). Every span of a trace must meet at one sampler,
 * so exactly the traces with an error arrive, whole, each at one sampler only.
 */
class TwoTierTailSamplingTest {

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<Gateway> gateways = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  @Test
  void everySpanOfATraceMeetsAtOneSamplerAndOnlyErrorTracesPass() throws Exception {
    CaptureExporterFactory.reset();
    List<String> samplers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String grpc = FreePort.endpoint();
      samplers.add(grpc);
      closeables.add(0, started(String.join("\n",
          "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
          "processors:",
          "  tail_sampling:",
          "    decision_wait: 1s",
          "    policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]",
          "exporters: {capture: {sink: sampler-" + i + "}}",
          "service:",
          "  telemetry: {metrics: {address: '127.0.0.1:0'}}",
          "  pipelines: {traces: {receivers: [otlp], processors: [tail_sampling],"
              + " exporters: [capture]}}")));
    }
    List<String> balancers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String grpc = FreePort.endpoint();
      balancers.add(grpc);
      // The two balancers list the samplers in different orders: the ring must not care.
      List<String> order = new ArrayList<>(samplers);
      if (i == 1) {
        java.util.Collections.reverse(order);
      }
      closeables.add(0, started(String.join("\n",
          "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
          "exporters:",
          "  loadbalancing:",
          "    protocol: {otlp: {tls: {insecure: true}}}",
          "    resolver: {static: {hostnames: ['" + String.join("', '", order) + "']}}",
          "service:",
          "  telemetry: {metrics: {address: '127.0.0.1:0'}}",
          "  pipelines: {traces: {receivers: [otlp], exporters: [loadbalancing]}}")));
    }
    SdkTracerProvider roots = provider(balancers.get(0));
    SdkTracerProvider children = provider(balancers.get(1));
    Set<String> errorTraces = new HashSet<>();
    int traces = 90;
    for (int t = 0; t < traces; t++) {
      Span root = roots.get("lb-test").spanBuilder("GET /checkout").startSpan();
      Context ctx = Context.root().with(root);
      for (int c = 0; c < 2; c++) {
        Span child = children.get("lb-test").spanBuilder("call-" + c).setParent(ctx).startSpan();
        if (t % 3 == 0 && c == 1) {
          child.setStatus(StatusCode.ERROR, "payment declined");
          errorTraces.add(child.getSpanContext().getTraceId());
        }
        child.end();
      }
      root.end();
    }
    roots.forceFlush().join(10, TimeUnit.SECONDS);
    children.forceFlush().join(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spansBySampler()
        .values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum())
        .as(this::diagnostics).isGreaterThanOrEqualTo(errorTraces.size() * 3));
    // Two more decision rounds: nothing else may arrive (non-error traces are dropped).
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
    Map<String, Map<String, Integer>> bySampler = spansBySampler();
    Map<String, Integer> spansPerTrace = new HashMap<>();
    Map<String, Integer> samplersPerTrace = new HashMap<>();
    bySampler.values().forEach(traceSpans -> traceSpans.forEach((trace, n) -> {
      spansPerTrace.merge(trace, n, Integer::sum);
      samplersPerTrace.merge(trace, 1, Integer::sum);
    }));
    assertThat(spansPerTrace.keySet()).as("exactly the error traces").isEqualTo(errorTraces);
    assertThat(spansPerTrace.values()).as("each whole: root and two children").allMatch(n -> n == 3);
    assertThat(samplersPerTrace.values()).as("each at one sampler").allMatch(n -> n == 1);
    assertThat(bySampler.values()).as("every sampler gets a share").allMatch(m -> !m.isEmpty());
  }

  private Gateway started(String yaml) {
    Gateway g = Gateway.start(yaml, Duration.ofSeconds(5));
    gateways.add(g);
    return g;
  }

  /** What each gateway counted, for a failing assertion's message. */
  private String diagnostics() {
    StringBuilder out = new StringBuilder("gateway metrics:");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (Gateway g : gateways) {
      try {
        String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + g.adminPort() + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        out.append("\n--- :").append(g.adminPort());
        body.lines().filter(l -> !l.startsWith("#") && (l.contains("_spans") || l.contains("tail_sampling")))
            .forEach(l -> out.append("\n").append(l));
      } catch (Exception e) {
        out.append("\n").append(e);
      }
    }
    return out.toString();
  }

  private SdkTracerProvider provider(String endpoint) {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://" + endpoint).build())
            .setScheduleDelay(Duration.ofMillis(50)).build())
        .build();
    closeables.add(0, p);
    return p;
  }

  /** Per sampler: spans received per trace ID (hex). */
  private static Map<String, Map<String, Integer>> spansBySampler() {
    Map<String, Map<String, Integer>> out = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Integer> traces = new HashMap<>();
      for (ExportTraceServiceRequest r :
          CaptureExporterFactory.sink("sampler-" + i).get(Signal.TRACES).batches()) {
        r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
            ss.getSpansList().forEach(s -> traces.merge(hex(s.getTraceId()), 1, Integer::sum))));
      }
      out.put("sampler-" + i, traces);
    }
    return out;
  }

  private static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }
}
