package io.vigil.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReceivedBytesTest {

  private static ExportTraceServiceRequest request(String name) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName(name))))
        .build();
  }

  @Test
  void findsTheBytesOfTheVeryObjectOnlyNotOfAnEqualOne() throws Exception {
    byte[] bytes = request("a").toByteArray();
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(bytes);
    ReceivedBytes.remember(parsed, bytes);

    assertThat(ReceivedBytes.of(parsed)).isSameAs(bytes);
    ExportTraceServiceRequest equal = ExportTraceServiceRequest.parseFrom(bytes);
    assertThat(equal).isEqualTo(parsed);
    assertThat(ReceivedBytes.of(equal)).as("equal but another object").isNull();
    assertThat(ReceivedBytes.of(parsed.toBuilder().build())).as("rebuilt").isNull();

    ReceivedBytes.forget(parsed);
    assertThat(ReceivedBytes.of(parsed)).isNull();
  }

  @Test
  void anEntryGoesAwayWithItsMessage() {
    int before = ReceivedBytes.size();
    for (int i = 0; i < 1000; i++) {
      ExportTraceServiceRequest r = request("r" + i);
      ReceivedBytes.remember(r, r.toByteArray());
    }
    assertThat(ReceivedBytes.size()).isGreaterThan(before);
    // Each remember() expunges what the collector cleared; System.gc() is only a hint, so ask
    // again until it happened (bounded by the timeout).
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      System.gc();
      ExportTraceServiceRequest r = request("again");
      ReceivedBytes.remember(r, new byte[0]);
      ReceivedBytes.forget(r);
      return ReceivedBytes.size() <= before + 10;
    });
  }
}
