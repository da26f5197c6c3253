package io.vigil.processor.groupbytrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.core.ConsumeException;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import io.vigil.testing.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** Spans of a trace held together, released as one batch, answered once accepted downstream. */
class GroupByTraceProcessorTest {
  private final RecordingConsumer<ExportTraceServiceRequest> out = new RecordingConsumer<>();
  private GroupByTraceProcessor p;

  private GroupByTraceProcessor processor(Duration wait, int maxTraces) {
    p = new GroupByTraceProcessor("groupbytrace", wait, maxTraces, out,
        LoggerFactory.getLogger(GroupByTraceProcessorTest.class));
    return p;
  }

  @AfterEach
  void stop() {
    if (p != null) {
      p.shutdown(Instant.now().plusSeconds(2));
    }
  }

  static ByteString trace(int n) {
    byte[] b = new byte[16];
    b[15] = (byte) n;
    return ByteString.copyFrom(b);
  }

  static ExportTraceServiceRequest request(String service, int... traces) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < traces.length; i++) {
      ss.addSpans(Span.newBuilder().setTraceId(trace(traces[i])).setName(service + "-" + i));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ss)).build();
  }

  static List<ByteString> traceIds(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).map(Span::getTraceId).distinct().toList();
  }

  static int spans(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .mapToInt(ScopeSpans::getSpansCount).sum();
  }

  @Test
  void aTracesSpansFromSeveralRequestsLeaveTogetherAndTheClientsWaitForIt() {
    processor(Duration.ofMillis(300), 100);
    CompletableFuture<Void> a = p.consume(request("storefront", 1, 2));
    CompletableFuture<Void> b = p.consume(request("orders", 1));
    CompletableFuture<Void> c = p.consume(request("payments", 1, 1));
    assertThat(out.batches()).isEmpty();
    assertThat(a).isNotDone();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.isDone() && b.isDone() && c.isDone());
    assertThat(out.batches()).hasSize(2);
    ExportTraceServiceRequest one = out.batches().stream()
        .filter(r -> traceIds(r).equals(List.of(trace(1)))).findFirst().orElseThrow();
    assertThat(spans(one)).isEqualTo(4);
    assertThat(one.getResourceSpansCount()).as("spans stay under their own resource").isEqualTo(3);
    assertThat(a).isCompleted();
  }

  @Test
  void aRefusalDownstreamReachesEveryClientWhoseSpansWereInTheTrace() {
    processor(Duration.ofMillis(100), 100);
    out.refuseWith(ConsumeException.retryable("backend down"));
    CompletableFuture<Void> a = p.consume(request("storefront", 7));
    CompletableFuture<Void> b = p.consume(request("orders", 7));
    await().atMost(Duration.ofSeconds(5)).until(() -> a.isDone() && b.isDone());
    assertThat(a).isCompletedExceptionally();
    assertThat(b).isCompletedExceptionally();
    assertThatThrownBy(b::join).hasMessageContaining("backend down");
  }

  @Test
  void beyondNumTracesTheOldestLeavesEarlyInsteadOfBeingDropped() {
    processor(Duration.ofSeconds(30), 2);
    CompletableFuture<Void> first = p.consume(request("s", 1));
    p.consume(request("s", 2));
    p.consume(request("s", 3));
    await().atMost(Duration.ofSeconds(5)).until(first::isDone);
    assertThat(out.batches()).hasSize(1);
    assertThat(traceIds(out.batches().get(0))).containsExactly(trace(1));
    assertThat(p.evicted()).isEqualTo(1);
    assertThat(p.heldTraces()).isEqualTo(2);
  }

  @Test
  void shutdownSendsWhatIsHeldAtOnceAndRefusesNewData() {
    processor(Duration.ofMinutes(5), 100);
    CompletableFuture<Void> a = p.consume(request("s", 1, 2, 3));
    p.shutdown(Instant.now().plusSeconds(5));
    assertThat(a).isCompleted();
    assertThat(out.batches()).hasSize(3);
    assertThat(p.consume(request("s", 4))).isCompletedExceptionally();
    p = null;
  }

  @Test
  void aSpanArrivingAfterItsTraceLeftStartsANewGroup() {
    processor(Duration.ofMillis(100), 100);
    p.consume(request("s", 9)).join();
    p.consume(request("s", 9)).join();
    assertThat(out.batches()).hasSize(2);
  }

  @Test
  void theCollectorsReadmeExampleLoads() {
    GatewayConfig c = ConfigTestdata.load("collector-examples.yaml");
    var two = (GroupByTraceConfig) c.component(ComponentKind.PROCESSOR,
        ComponentId.parse("groupbytrace/2")).config();
    assertThat(two.waitDuration).isEqualTo(Duration.ofSeconds(10));
    assertThat(two.numTraces).isEqualTo(1000);
    var defaults = (GroupByTraceConfig) c.component(ComponentKind.PROCESSOR,
        ComponentId.parse("groupbytrace")).config();
    assertThat(defaults.waitDuration).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.numTraces).isEqualTo(1_000_000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-wait-duration.yaml | processors::groupbytrace::wait_duration: must be a positive duration",
    "bad-num-traces.yaml    | processors::groupbytrace::num_traces: must be a positive number",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  void aLogsPipelineIsRefused() {
    assertThatThrownBy(() -> ConfigTestdata.load("bad-logs-pipeline.yaml"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("groupbytrace");
  }
}
