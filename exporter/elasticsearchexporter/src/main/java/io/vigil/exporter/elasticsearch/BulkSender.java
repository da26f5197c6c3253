package io.vigil.exporter.elasticsearch;

import io.vigil.exporter.exporterhelper.BatchSender;
import io.vigil.exporter.exporterhelper.ExportFailure;
import io.vigil.exporter.exporterhelper.SendResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One delivery attempt of one batch as a {@code _bulk} request, for the shared
 * {@link io.vigil.exporter.exporterhelper.QueuedRetryingSender}. The batch is encoded once; each
 * attempt sends only the documents not yet settled, so a retry after items were refused with
 * 429 or 5xx repeats those items and never the ones already indexed. Documents refused for
 * their content are dropped, counted by error type and reported as rejected.
 *
 * @param <T> the OTLP batch type
 */
final class BulkSender<T> implements BatchSender<T> {

  private final SearchEngineHttp http;
  private final Function<T, List<BulkDocument>> encoder;
  private final EngineSetup setup;
  private final BiConsumer<String, Integer> countDrops;
  private final InFlightBatches inFlight = new InFlightBatches();

  /**
   * @param countDrops called with an error type and a count for documents dropped for content
   */
  BulkSender(SearchEngineHttp http, Function<T, List<BulkDocument>> encoder, EngineSetup setup,
      BiConsumer<String, Integer> countDrops) {
    this.http = http;
    this.encoder = encoder;
    this.setup = setup;
    this.countDrops = countDrops;
  }

  @Override
  public CompletableFuture<SendResult> send(T batch, Duration timeout) {
    if (!setup.isDone()) {
      // Documents written before the templates exist would create indices with guessed
      // mappings (and no data stream), so wait as for an unavailable destination.
      return CompletableFuture.failedFuture(ExportFailure.retryable(
          "index templates not installed yet: " + setup.lastProblem(), (Duration) null));
    }
    PendingDocuments pending = inFlight.get(batch, () -> new PendingDocuments(encoder.apply(batch)));
    List<Integer> positions = pending.unsettled();
    if (positions.isEmpty()) {
      inFlight.remove(batch);
      return CompletableFuture.completedFuture(result(pending));
    }
    byte[] body = BulkRequestBody.write(pending.documents(positions));
    return http.send("POST", "/_bulk", body, "application/x-ndjson", timeout)
        .handle((resp, err) -> {
          if (err != null) {
            throw new CompletionException(ExportFailure.retryable(
                "cannot reach the search engine: " + rootMessage(err), err));
          }
          return answered(batch, pending, positions, resp);
        });
  }

  int inFlightBatches() {
    return inFlight.size();
  }

  private SendResult answered(T batch, PendingDocuments pending, List<Integer> positions,
      SearchEngineHttp.Response resp) {
    int code = resp.status();
    if (!resp.ok()) {
      String message = "HTTP " + code + " from " + resp.url() + ": " + resp.text();
      if (code == 429 || code >= 500) {
        throw new CompletionException(ExportFailure.retryable(message, retryAfter(resp)));
      }
      inFlight.remove(batch);
      String hint = code == 401 || code == 403 ? " (check user/password or api_key"
          + " and the privileges to write these indices)"
          : code == 413 ? " (the bulk request is too large: lower the batch processor's"
          + " send_batch_max_size)" : "";
      throw new CompletionException(ExportFailure.permanent(message + hint));
    }
    List<BulkResponse.Item> items;
    try {
      items = BulkResponse.items(resp.body(), positions.size());
    } catch (IOException e) {
      // An answer we cannot read item by item: retrying is safe, the _ids prevent duplicates.
      throw new CompletionException(ExportFailure.retryable(
          "unreadable bulk response from " + resp.url() + ": " + e.getMessage(), e));
    }
    Map<String, Integer> drops = pending.apply(positions, items);
    drops.forEach(countDrops);
    if (!pending.allSettled()) {
      int left = pending.unsettled().size();
      BulkResponse.Item example = items.stream()
          .filter(i -> i.outcome() == BulkResponse.Outcome.RETRY).findFirst().orElse(null);
      throw new CompletionException(ExportFailure.retryable(left + " of " + pending.size()
          + " documents refused for now"
          + (example == null ? "" : " (" + example.status() + " " + example.errorType() + ": "
          + example.errorReason() + ")") + "; retrying only those", retryAfter(resp)));
    }
    inFlight.remove(batch);
    return result(pending);
  }

  private static SendResult result(PendingDocuments pending) {
    return pending.dropped() == 0 ? SendResult.accepted()
        : SendResult.partial(pending.dropped(), "documents dropped for their content, not"
            + " retried: " + pending.dropSummary());
  }

  private static Duration retryAfter(SearchEngineHttp.Response resp) {
    if (resp.retryAfter() == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(resp.retryAfter().trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
