package io.vigil.receiver.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.kafka.OtlpEncoding;
import io.vigil.pdata.OtlpJson;
import io.vigil.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutations of valid messages (bit flips, truncations, inserted bytes) and random bytes,
 * in both encodings: decoding either yields a batch that reaches the pipeline or fails with the
 * IllegalArgumentException the receiver counts and skips; never another exception, never a hang.
 */
class MessageDecodeFuzzTest {

  @Test
  @Timeout(60)
  void mutatedMessagesDecodeOrAreRefusedCleanly() {
    Random rnd = new Random(42_2026L);
    AtomicInteger delivered = new AtomicInteger();
    for (OtlpEncoding encoding : OtlpEncoding.values()) {
      TopicRoute<ExportTraceServiceRequest> route = new TopicRoute<>(Signal.TRACES, encoding,
          batch -> {
            delivered.incrementAndGet();
            return CompletableFuture.completedFuture(null);
          });
      byte[] valid = encoding == OtlpEncoding.OTLP_PROTO ? TestData.spans(20).toByteArray()
          : OtlpJson.print(TestData.spans(20)).getBytes(StandardCharsets.UTF_8);
      int ok = 0;
      int refused = 0;
      for (int i = 0; i < 3000; i++) {
        byte[] input = mutate(rnd, valid, i);
        try {
          ExportTraceServiceRequest batch = route.decode(input);
          assertThat(route.consume(batch)).succeedsWithin(Duration.ofSeconds(1));
          ok++;
        } catch (IllegalArgumentException e) {
          assertThat(e.getMessage()).isNotBlank();
          refused++;
        }
      }
      assertThat(ok).as(encoding + ": some inputs still decode").isPositive();
      assertThat(refused).as(encoding + ": some inputs are refused").isPositive();
    }
    assertThat(delivered.get()).isPositive();
    assertThat(OtlpEncoding.OTLP_PROTO.decode(Signal.TRACES, new byte[0]))
        .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
  }

  private static byte[] mutate(Random rnd, byte[] valid, int i) {
    switch (i % 4) {
      case 0: {
        byte[] b = valid.clone();
        for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
      }
      case 1: {
        byte[] b = new byte[rnd.nextInt(valid.length)];
        System.arraycopy(valid, 0, b, 0, b.length);
        return b;
      }
      case 2: {
        byte[] b = new byte[valid.length + 1];
        int at = rnd.nextInt(valid.length);
        System.arraycopy(valid, 0, b, 0, at);
        b[at] = (byte) rnd.nextInt(256);
        System.arraycopy(valid, at, b, at + 1, valid.length - at);
        return b;
      }
      default: {
        byte[] b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
        return b;
      }
    }
  }
}
