package io.vigil.receiver.kafka;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.kafka.OtlpEncoding;
import java.util.concurrent.CompletableFuture;

/** What the messages of one topic are (signal, encoding) and which pipeline takes them. */
record TopicRoute<T extends Message>(Signal<T> signal, OtlpEncoding encoding, Consumer<T> next) {

  /** Decodes a message value; throws IllegalArgumentException when it is not this signal's. */
  T decode(byte[] value) {
    return encoding.decode(signal, value);
  }

  CompletableFuture<Void> consume(T batch) {
    try {
      return next.consume(batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
