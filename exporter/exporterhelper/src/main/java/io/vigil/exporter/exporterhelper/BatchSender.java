package io.vigil.exporter.exporterhelper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to send one batch to the destination. The future fails with an
 * {@link ExportFailure} when the attempt failed.
 */
@FunctionalInterface
public interface BatchSender<T> {

  CompletableFuture<SendResult> send(T batch, Duration timeout);
}
