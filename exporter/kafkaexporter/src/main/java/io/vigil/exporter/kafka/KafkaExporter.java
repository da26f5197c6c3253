package io.vigil.exporter.kafka;

import com.google.protobuf.Message;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.exporter.exporterhelper.ExportFailure;
import io.vigil.exporter.exporterhelper.PerSignalSenders;
import io.vigil.exporter.exporterhelper.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;

/**
 * Writes each signal's batches to its Kafka topic with the official Java producer, behind the
 * exporterhelper's sending queue and retries. A batch is sent when every one of its messages
 * was acknowledged (by all in-sync replicas by default); a retryable failure of any of them
 * retries the whole batch, so a message may be written twice (at least once, as the Collector).
 */
final class KafkaExporter implements Exporter {

  private final KafkaExporterConfig config;
  private final PerSignalSenders senders;
  private final Logger log;
  private volatile KafkaProducer<byte[], byte[]> producer;

  KafkaExporter(ComponentSettings settings, KafkaExporterConfig config, Set<Signal<?>> signals) {
    this.config = config;
    this.senders = new PerSignalSenders(settings, config.sending());
    this.log = settings.logger(KafkaExporter.class);
    for (Signal<?> s : signals) {
      add(s);
    }
  }

  private <T extends Message> void add(Signal<T> s) {
    MessageSplitter<T> splitter = MessageSplitter.of(s, config);
    senders.add(s, (batch, timeout) -> send(splitter.split(batch)));
  }

  private CompletableFuture<SendResult> send(List<KafkaMessage> messages) {
    KafkaProducer<byte[], byte[]> p = producer;
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(SendResult.accepted());
    }
    if (p == null) {
      return CompletableFuture.failedFuture(
          ExportFailure.retryable("the kafka exporter is not running", (Duration) null));
    }
    CompletableFuture<?>[] acks = new CompletableFuture<?>[messages.size()];
    for (int i = 0; i < acks.length; i++) {
      KafkaMessage m = messages.get(i);
      CompletableFuture<Void> ack = new CompletableFuture<>();
      acks[i] = ack;
      try {
        p.send(new ProducerRecord<>(m.topic(), m.key(), m.value()), (meta, err) -> {
          if (err == null) {
            ack.complete(null);
          } else {
            ack.completeExceptionally(failure(m.topic(), err));
          }
        });
      } catch (RuntimeException e) {
        // Metadata not available within max.block.ms, a record too large, a closed producer.
        ack.completeExceptionally(failure(m.topic(), e));
      }
    }
    return CompletableFuture.allOf(acks).handle((ok, err) -> {
      if (err != null) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null
            ? err.getCause() : err;
        throw new CompletionException(cause);
      }
      return SendResult.accepted();
    });
  }

  private ExportFailure failure(String topic, Throwable err) {
    String msg = "cannot write to Kafka topic " + topic + " at " + config.brokers + ": " + err;
    if (err instanceof org.apache.kafka.common.errors.AuthenticationException) {
      // Not retried: the same credentials or CA would be refused again until the config changes.
      msg += " (the brokers refused the connection's TLS or SASL: check tls::ca_file and"
          + " auth::sasl)";
    }
    // The client's retriable errors (timeouts, leader changes, not enough replicas) may pass;
    // the rest (a record too large, an invalid topic, no authorization) will not.
    if (err instanceof RetriableException || err instanceof IllegalStateException
        || err instanceof org.apache.kafka.common.errors.InterruptException) {
      return ExportFailure.retryable(msg, err);
    }
    if (err instanceof org.apache.kafka.common.KafkaException
        && !(err instanceof org.apache.kafka.common.errors.ApiException)) {
      // A producer closing or fenced: the batch was not written, a later attempt may be.
      return ExportFailure.retryable(msg, err);
    }
    return ExportFailure.permanent(msg);
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return senders.consumer(signal);
  }

  @Override
  public void start() {
    producer = new KafkaProducer<>(ProducerProperties.of(config));
    log.info("writing to Kafka at {} (acks={}, compression={})", config.brokers,
        config.producer.requiredAcks == -1 ? "all" : config.producer.requiredAcks,
        config.producer.compression);
    senders.start();
  }

  @Override
  public void shutdown(Instant deadline) {
    senders.shutdown(deadline);
    KafkaProducer<byte[], byte[]> p = producer;
    if (p != null) {
      Duration left = Duration.between(Instant.now(), deadline);
      p.close(left.isNegative() ? Duration.ZERO : left);
    }
  }
}
