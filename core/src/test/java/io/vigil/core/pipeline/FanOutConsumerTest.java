package io.vigil.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.EncodedConsumer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FanOutConsumerTest {

  /** A branch that takes bytes (when {@code takes}), recording them. */
  static final class BytesBranch implements Consumer<String>, EncodedConsumer {
    final boolean takes;
    final ConsumeException refusal;
    final List<byte[]> got = new CopyOnWriteArrayList<>();

    BytesBranch(boolean takes, ConsumeException refusal) {
      this.takes = takes;
      this.refusal = refusal;
    }

    @Override
    public CompletableFuture<Void> consume(String batch) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean takesEncoded() {
      return takes;
    }

    @Override
    public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
      got.add(request);
      return refusal == null ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(refusal);
    }
  }

  @Test
  void takesBytesOnlyWhenEveryBranchDoesAndHandsTheSameBytesToEach() {
    BytesBranch a = new BytesBranch(true, null);
    BytesBranch b = new BytesBranch(true, null);
    Consumer<String> both = FanOutConsumer.of(List.of(a, b));
    EncodedConsumer encoded = EncodedConsumer.of(both);
    assertThat(encoded).isNotNull();
    byte[] request = {10, 0};
    assertThat(encoded.consumeEncoded(request, 1)).isCompleted();
    assertThat(a.got).containsExactly(request);
    assertThat(b.got).containsExactly(request);

    Consumer<String> messagesOnly = batch -> CompletableFuture.completedFuture(null);
    assertThat(EncodedConsumer.of(FanOutConsumer.of(List.of(a, messagesOnly))))
        .as("a branch that wants messages").isNull();
    assertThat(EncodedConsumer.of(FanOutConsumer.of(List.of(a, new BytesBranch(false, null)))))
        .as("a branch that cannot take bytes now").isNull();
  }

  @Test
  void aBranchRefusingTheBytesFailsTheWhole() {
    BytesBranch ok = new BytesBranch(true, null);
    BytesBranch full = new BytesBranch(true, ConsumeException.retryable("full"));
    CompletableFuture<Void> r = EncodedConsumer.of(FanOutConsumer.of(List.of(ok, full)))
        .consumeEncoded(new byte[0], 0);
    assertThat(r).isCompletedExceptionally();
    assertThat(ok.got).hasSize(1);
  }
}
