package io.vigil.processor.groupbytrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.testing.RecordingConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Random requests from four threads, random trace IDs (some empty or odd-sized), a small
 * num_traces: every span comes out exactly once, every request is answered, and each released
 * batch holds one trace.
 */
class GroupByTraceFuzzTest {

  @Test
  void everySpanLeavesOnceAndEveryRequestIsAnswered() throws Exception {
    RecordingConsumer<ExportTraceServiceRequest> out = new RecordingConsumer<>();
    GroupByTraceProcessor p = new GroupByTraceProcessor("fuzz", Duration.ofMillis(20), 8, out,
        LoggerFactory.getLogger(GroupByTraceFuzzTest.class));
    List<CompletableFuture<Void>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> sent = java.util.Collections.synchronizedMap(new HashMap<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int seed = t;
      threads.add(new Thread(() -> {
        Random r = new Random(seed);
        for (int q = 0; q < 200; q++) {
          ScopeSpans.Builder ss = ScopeSpans.newBuilder();
          for (int i = r.nextInt(6); i > 0; i--) {
            byte[] id = new byte[r.nextInt(10) == 0 ? r.nextInt(17) : 16];
            if (id.length > 0) {
              id[0] = (byte) r.nextInt(20);
            }
            String name = seed + "-" + q + "-" + i;
            sent.put(name, 1);
            ss.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(id)).setName(name));
          }
          answers.add(p.consume(ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build()));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> answers.stream().allMatch(CompletableFuture::isDone));
    p.shutdown(Instant.now().plusSeconds(5));
    Map<String, Integer> received = new HashMap<>();
    for (ExportTraceServiceRequest r : out.batches()) {
      List<ByteString> ids = r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
          .flatMap(s -> s.getSpansList().stream()).map(Span::getTraceId).distinct().toList();
      assertThat(ids).hasSize(1);
      r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
          .flatMap(s -> s.getSpansList().stream()).forEach(s -> received.merge(s.getName(), 1, Integer::sum));
    }
    assertThat(received).isEqualTo(sent);
    assertThat(answers).allSatisfy(a -> assertThat(a).isCompleted());
  }
}
