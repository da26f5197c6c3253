package io.vigil.exporter.exporterhelper;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vigil.core.ConsumeException;
import io.vigil.core.Signal;
import io.vigil.core.config.GoDuration;
import io.vigil.core.telemetry.GatewayTelemetry.ExporterTelemetry;
import io.vigil.extension.filestorage.DiskBudgetExceededException;
import io.vigil.extension.filestorage.DurableLog;
import io.vigil.extension.filestorage.LogReader;
import io.vigil.extension.filestorage.StoredRecord;
import io.vigil.pdata.ReceivedBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The durable sending queue ({@code sending_queue::storage}): one {@link DurableLog} per
 * exporter and signal on a {@code file_storage} extension.
 *
 * <p>{@link #consume} appends the request's protobuf bytes (behind a 4-byte item count): the
 * bytes its receiver parsed when the pipeline passed that very message on ({@code
 * ReceivedBytes}), else the message serialized. It acknowledges the caller once the log says the
 * record is durable under its fsync policy, or with {@code wait_for_result} once the record's
 * batch was sent or dead-lettered. One
 * dispatcher thread reads the log in order, groups records into batches (with
 * {@code sending_queue::batch}: up to {@code max_size} items, or what arrived within
 * {@code flush_timeout}) and hands each to one of up to {@code num_consumers} concurrent
 * deliveries. A batch is merged by concatenating the records' bytes: an OTLP export request
 * is one repeated field, and concatenated serialized messages of one type parse as the merged
 * message, so records are never decoded one by one nor re-encoded to merge. With an
 * {@link EncodedBatchSender} (otlp, otlphttp) the merged bytes go to the wire as they are;
 * other senders get them parsed once. A single record above {@code batch::max_size} is the one
 * thing decoded: it is split ({@link MaxSizeSplitter}) and its pieces sent one after the other.
 *
 * <p>The log's read position is committed only up to the oldest batch not yet finished, and a
 * batch finishes only when the destination accepted it or, after a permanent error, it was
 * written to the dead-letter file. Retryable failures are retried forever with backoff capped at
 * {@code retry_on_failure::max_interval} ({@code max_elapsed_time} does not apply: the data is
 * on disk, and giving up would be the only way to lose it). At shutdown what is unsent stays in
 * the log for the next start; after a crash, batches that were in flight are sent again (the
 * duplicates an at-least-once queue allows).
 */
final class DurableQueue<T extends Message> {

  static final String READER = "sender";
  /** What a caller refused for the disk budget is told to wait before retrying. */
  static final Duration FULL_RETRY_AFTER = Duration.ofSeconds(1);
  /**
   * Records read from the log at once. Small, because what is read waits in the heap until it
   * is sent (records can be large requests); a batch needing more reads again.
   */
  private static final int READ_CHUNK = 32;
  /** Upper bound on the dispatcher's waits, so a missed wake-up costs at most this. */
  private static final long MAX_WAIT_MILLIS = 1000;

  private final String exporterId;
  private final Signal<T> signal;
  private final BatchSender<T> sender;
  /** The sender when it takes serialized requests (no decode, no re-encode); else null. */
  private final EncodedBatchSender<T> encodedSender;
  private final SendingSettings settings;
  private final BatchSettings batching;
  private final AttemptTimeout timeout;
  private final ExporterTelemetry telemetry;
  private final Logger log;
  private final OutageLog outage;
  private final DurableLog dlog;
  private final LogReader reader;
  private final Path deadLetter;
  private final Executor attempts;
  private final ScheduledExecutorService retries;
  private final Thread dispatcher;

  /** Guards the fields below; the dispatcher waits on it for data and for a free consumer. */
  private final Object lock = new Object();
  private final TreeMap<Long, Batch> outstanding = new TreeMap<>();
  /**
   * With {@code wait_for_result}: the callers waiting for their record's batch to finish, by
   * position; and the outcomes of records whose batch finished before their caller's append
   * callback registered it (the dispatcher may read a record before its append completes).
   * Only records appended by this process are in either, each claimed once.
   */
  private final Map<Long, CompletableFuture<Void>> waiters = new HashMap<>();
  private final Map<Long, ConsumeException> unclaimed = new HashMap<>();
  /** The log's last position at start: records up to it have no caller waiting. */
  private final long recoveredUpTo;
  private int inFlight;
  private boolean running = true;
  /** Set at the end of shutdown: late completions no longer commit into a closing log. */
  private boolean closed;
  private volatile boolean accepting = true;

  // Touched by the dispatcher thread only.
  private final ArrayDeque<StoredRecord> pending = new ArrayDeque<>();
  private long lastRead;

  DurableQueue(String exporterId, Signal<T> signal, SendingSettings settings,
      BatchSender<T> sender, ExporterTelemetry telemetry, Logger log, OutageLog outage,
      DurableLog dlog, Executor attempts, ScheduledExecutorService retries) throws IOException {
    this.exporterId = exporterId;
    this.signal = signal;
    this.sender = sender;
    this.encodedSender = sender instanceof EncodedBatchSender<T> e
        && EncodedBatchSender.passThroughEnabled() ? e : null;
    this.settings = settings;
    this.batching = settings.sendingQueue.batch;
    this.timeout = new AttemptTimeout(settings.timeout);
    this.telemetry = telemetry;
    this.log = log;
    this.outage = outage;
    this.dlog = dlog;
    this.reader = dlog.reader(READER);
    // The extension keeps the log and its reader open across exporters: one stopped before this
    // one in this process (a load-balanced backend removed and re-added) may have read past its
    // last commit. Those records are unsent.
    reader.rewind();
    this.lastRead = reader.committed();
    this.recoveredUpTo = dlog.lastPosition();
    this.deadLetter = DeadLetters.inLog(dlog.directory(), signal);
    this.attempts = attempts;
    this.retries = retries;
    this.dispatcher = new Thread(this::dispatch,
        "vigil-exporter-" + exporterId + "-" + signal.name() + "-durable-queue");
    this.dispatcher.setDaemon(true);
  }

  void start() {
    long left = reader.lag();
    if (left > 0) {
      log.info("Exporter {} found {} {} requests in its durable queue ({}); sending them first",
          exporterId, left, signal.name(), dlog.directory());
    }
    dispatcher.start();
  }

  /** Requests appended and not yet committed (sent or dead-lettered), in flight included. */
  long size() {
    return reader.lag();
  }

  CompletableFuture<Void> consume(T batch) {
    if (!accepting) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "exporter " + exporterId + " is shutting down"));
    }
    return consumeEncoded(encode(batch), signal.itemCount(batch));
  }

  /** Appends {@code message}, an encoded request of {@code items} items, as it is. */
  CompletableFuture<Void> consumeEncoded(byte[] message, int items) {
    if (!accepting) {
      return CompletableFuture.failedFuture(ConsumeException.retryable(
          "exporter " + exporterId + " is shutting down"));
    }
    long queued = reader.lag();
    if (queued >= settings.sendingQueue.queueSize) {
      telemetry.enqueueFailed(signal, items);
      return CompletableFuture.failedFuture(ConsumeException.retryable("durable sending queue"
          + " of exporter " + exporterId + " holds " + queued + " requests, its queue_size is "
          + settings.sendingQueue.queueSize + ": the destination is slower than the input or"
          + " down; raise sending_queue::queue_size (and the storage's max_disk_bytes) or fix"
          + " the destination"));
    }
    byte[] record = new byte[4 + message.length];
    ByteBuffer.wrap(record).putInt(items);
    System.arraycopy(message, 0, record, 4, message.length);
    CompletableFuture<Long> appended;
    try {
      appended = dlog.append(record);
    } catch (IllegalArgumentException tooLarge) {
      telemetry.enqueueFailed(signal, items);
      return CompletableFuture.failedFuture(ConsumeException.permanent("exporter " + exporterId
          + " cannot queue the request: " + tooLarge.getMessage()));
    }
    CompletableFuture<Void> acked = new CompletableFuture<>();
    appended.whenComplete((pos, error) -> {
      if (error == null) {
        if (settings.sendingQueue.waitForResult) {
          awaitResult(pos, acked);
        } else {
          acked.complete(null);
        }
        wake();
        return;
      }
      telemetry.enqueueFailed(signal, items);
      Throwable cause = AttemptTimeout.unwrap(error);
      if (cause instanceof DiskBudgetExceededException full) {
        acked.completeExceptionally(ConsumeException.throttled("durable sending queue of"
            + " exporter " + exporterId + " is out of disk budget (" + full.getMessage() + ")",
            FULL_RETRY_AFTER));
      } else {
        acked.completeExceptionally(ConsumeException.retryable("exporter " + exporterId
            + " could not write to its durable sending queue: " + cause));
      }
    });
    return acked;
  }

  /**
   * The request's serialized bytes: those its receiver parsed it from when the pipeline passed
   * that very message on unchanged (no serializing again), else the message serialized.
   */
  static byte[] encode(Message batch) {
    byte[] received = ReceivedBytes.of(batch);
    return received != null ? received : batch.toByteArray();
  }

  /** wait_for_result: {@code caller} completes when the batch holding {@code pos} finished. */
  private void awaitResult(long pos, CompletableFuture<Void> caller) {
    ConsumeException outcome;
    synchronized (lock) {
      if (!unclaimed.containsKey(pos)) {
        if (closed) {
          caller.completeExceptionally(stillQueued());
        } else {
          waiters.put(pos, caller);
        }
        return;
      }
      outcome = unclaimed.remove(pos);
    }
    complete(caller, outcome);
  }

  private static void complete(CompletableFuture<Void> caller, ConsumeException outcome) {
    if (outcome == null) {
      caller.complete(null);
    } else {
      caller.completeExceptionally(outcome);
    }
  }

  private ConsumeException stillQueued() {
    return ConsumeException.retryable("exporter " + exporterId + " shut down before the"
        + " destination accepted the request; it stays in the durable queue and is sent after"
        + " the next start");
  }

  private void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  // ---- the dispatcher ----

  private void dispatch() {
    while (true) {
      synchronized (lock) {
        while (running && (inFlight >= settings.sendingQueue.numConsumers
            || (pending.isEmpty() && dlog.lastPosition() <= lastRead))) {
          if (!await(MAX_WAIT_MILLIS)) {
            return;
          }
        }
        if (!running) {
          return;
        }
      }
      List<StoredRecord> taken;
      try {
        taken = take();
      } catch (IOException e) {
        log.error("Exporter {} cannot read its durable sending queue in {}: {}; trying again",
            exporterId, dlog.directory(), e.toString());
        synchronized (lock) {
          if (!await(MAX_WAIT_MILLIS)) {
            return;
          }
        }
        continue;
      }
      if (taken.isEmpty()) {
        // The log has positions the reader does not return (records lost to damage at the
        // end of the log): wait rather than spin until something new arrives.
        synchronized (lock) {
          if (running && !await(MAX_WAIT_MILLIS)) {
            return;
          }
        }
        continue;
      }
      Batch b = new Batch(taken);
      synchronized (lock) {
        if (!running) {
          return; // read while shutting down: left uncommitted, for the next reader
        }
        outstanding.put(b.first, b);
        inFlight++;
      }
      b.submit();
    }
  }

  /** Waits on the lock (held); false when interrupted, which only shutdown does. */
  private boolean await(long millis) {
    try {
      lock.wait(Math.max(1, millis));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The next batch: one record without batching; with it, records until {@code min_size}
   * items, the next would pass {@code max_size}, or {@code flush_timeout} passed.
   */
  private List<StoredRecord> take() throws IOException {
    List<StoredRecord> out = new ArrayList<>();
    long items = 0;
    long deadline = batching == null ? 0 : System.nanoTime() + batching.flushTimeout.toNanos();
    // Each pass either takes records, reads more, or waits toward the deadline.
    for (int pass = 0; pass < 100_000; pass++) {
      if (pending.isEmpty()) {
        for (StoredRecord r : reader.next(READ_CHUNK)) {
          pending.add(r);
          lastRead = r.position();
        }
      }
      while (!pending.isEmpty()) {
        long n = sizeOf(pending.peek());
        if (!out.isEmpty() && (batching == null
            || (batching.maxSize > 0 && items + n > batching.maxSize))) {
          return out;
        }
        out.add(pending.poll());
        items += n;
        if (batching == null || items >= batching.minSize) {
          return out;
        }
      }
      long left = deadline - System.nanoTime();
      if (batching == null || left <= 0) {
        return out;
      }
      synchronized (lock) {
        if (!running) {
          return out;
        }
        if (dlog.lastPosition() <= lastRead
            && !await(Math.min(MAX_WAIT_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1))) {
          return out;
        }
      }
    }
    return out;
  }

  private static int itemsOf(StoredRecord r) {
    return ByteBuffer.wrap(r.payload()).getInt();
  }

  /** A record in the unit of sending_queue::batch::sizer: items, or the request's bytes. */
  private long sizeOf(StoredRecord r) {
    return batching != null && batching.countsBytes() ? r.payload().length - 4 : itemsOf(r);
  }

  /** The records' requests as one: their messages' bytes concatenated, parsed once. */
  private T merge(List<StoredRecord> records) throws InvalidProtocolBufferException {
    if (records.size() == 1) {
      byte[] p = records.get(0).payload();
      return signal.parser().parseFrom(p, 4, p.length - 4);
    }
    return signal.parse(concatenate(records));
  }

  /** The records' messages, concatenated: one serialized request holding all their items. */
  private static byte[] concatenate(List<StoredRecord> records) {
    int size = 0;
    for (StoredRecord r : records) {
      size += r.payload().length - 4;
    }
    byte[] merged = new byte[size];
    int at = 0;
    for (StoredRecord r : records) {
      byte[] p = r.payload();
      System.arraycopy(p, 4, merged, at, p.length - 4);
      at += p.length - 4;
    }
    return merged;
  }

  // ---- deliveries ----

  /** Consecutive records sent as one request, until accepted or dead-lettered. */
  private final class Batch {
    final long first;
    final long last;
    final List<StoredRecord> records;
    final int items;
    final Backoff backoff = new Backoff(settings.retryOnFailure);
    T request;
    /** The merged request's bytes, when the sender takes them as they are. */
    byte[] encoded;
    /**
     * A single record above batch::max_size, cut into requests of at most max_size, sent one
     * after the other from {@link #piece}; null when the batch goes as one request.
     */
    List<T> pieces;
    volatile int piece;
    /** Finished or released (guarded by lock). */
    boolean done;
    /** Accepted or dead-lettered: the log may be committed past it (guarded by lock). */
    boolean sent;
    volatile ScheduledFuture<?> pendingRetry;

    Batch(List<StoredRecord> records) {
      this.records = records;
      this.first = records.get(0).position();
      this.last = records.get(records.size() - 1).position();
      int n = 0;
      for (StoredRecord r : records) {
        n += itemsOf(r);
      }
      this.items = n;
    }

    void submit() {
      try {
        attempts.execute(this::attempt);
      } catch (RejectedExecutionException e) {
        release(); // shutting down: the batch stays in the log
      }
    }

    private void attempt() {
      synchronized (lock) {
        if (!running && closed) {
          return;
        }
      }
      if (pieces == null && records.size() == 1 && MaxSizeSplitter.oversized(
          batching, items, records.get(0).payload().length - 4)) {
        try {
          // Only this record is decoded and its pieces re-encoded; the rest stay bytes.
          pieces = MaxSizeSplitter.split(signal, merge(records), batching);
        } catch (InvalidProtocolBufferException e) {
          deadLetter("undecodable", "its bytes do not parse as " + signal.name() + ": " + e);
          return;
        }
      }
      // Split: each attempt sends pieces.get(piece), nothing more to prepare.
      if (pieces == null && encodedSender != null) {
        if (encoded == null) {
          encoded = concatenate(records);
        }
      } else if (pieces == null && request == null) {
        try {
          request = merge(records);
        } catch (InvalidProtocolBufferException e) {
          // The log's CRC makes this a bug (or a record written by another version), not a
          // state the destination could change: set it aside rather than block the queue.
          deadLetter("undecodable", "its bytes do not parse as " + signal.name() + ": " + e);
          return;
        }
      }
      CompletableFuture<SendResult> result;
      try {
        result = Objects.requireNonNull(send(), "sender returned no future");
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      } catch (Error e) {
        log.error("Exporter {}: its sender failed with {}", exporterId, e.toString(), e);
        deadLetter("sender_error", "the sender failed with " + e);
        return;
      }
      timeout.limit(result).whenComplete(this::ended);
    }

    private CompletableFuture<SendResult> send() {
      if (pieces != null) {
        T p = pieces.get(piece);
        return encodedSender != null
            ? encodedSender.sendEncoded(p.toByteArray(), settings.timeout)
            : sender.send(p, settings.timeout);
      }
      return encodedSender != null
          ? encodedSender.sendEncoded(encoded, settings.timeout)
          : sender.send(request, settings.timeout);
    }

    /** Items in what this attempt sent. */
    private int attemptItems() {
      return pieces == null ? items : signal.itemCount(pieces.get(piece));
    }

    /** Items not yet accepted: all of them, or the pieces from the current one on. */
    private int unsentItems() {
      if (pieces == null) {
        return items;
      }
      int n = 0;
      for (int i = piece; i < pieces.size(); i++) {
        n += signal.itemCount(pieces.get(i));
      }
      return n;
    }

    private void ended(SendResult r, Throwable error) {
      if (error == null) {
        outage.succeeded();
        int sentItems = attemptItems();
        long rejected = Math.min(sentItems, r.rejectedItems());
        telemetry.sent(signal, sentItems - rejected);
        if (rejected > 0) {
          telemetry.sendFailed(signal, rejected, "rejected");
        }
        if (rejected > 0 || !r.message().isEmpty()) {
          log.warn("Destination of exporter {} rejected {} of {} {}: {}",
              exporterId, rejected, sentItems, signal.itemName(), r.message());
        }
        if (pieces != null && ++piece < pieces.size()) {
          submit(); // the next piece; the log is committed once the last one is accepted
          return;
        }
        finish(null);
        return;
      }
      if (AttemptTimeout.unwrap(error) instanceof Error e) {
        log.error("Exporter {}: its sender failed with {}", exporterId, e.toString(), e);
        deadLetter("sender_error", "the sender failed with " + e);
        return;
      }
      ExportFailure failure = timeout.failure(error);
      if (!failure.isRetryable()) {
        deadLetter("permanent", failure.getMessage());
        return;
      }
      outage.failed(failure);
      telemetry.retried(signal);
      retryLater(failure.retryAfter() != null ? failure.retryAfter() : backoff.next());
    }

    private void retryLater(Duration wait) {
      synchronized (lock) {
        if (!running) {
          release(); // shutting down: the batch stays in the log for the next start
          return;
        }
      }
      log.debug("Exporter {}: {} {} retried in {}", exporterId, items, signal.itemName(),
          GoDuration.format(wait));
      try {
        pendingRetry = retries.schedule(this::submit, wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        release();
      }
    }

    /**
     * Writes the batch's requests to the dead-letter file, length-delimited (each readable with
     * {@code parseDelimitedFrom}, so they can be replayed), then finishes the batch.
     */
    private void deadLetter(String reason, String message) {
      List<byte[]> unsent = new ArrayList<>();
      if (pieces != null) {
        for (int i = piece; i < pieces.size(); i++) {
          unsent.add(pieces.get(i).toByteArray());
        }
      } else {
        for (StoredRecord r : records) {
          unsent.add(java.util.Arrays.copyOfRange(r.payload(), 4, r.payload().length));
        }
      }
      int unsentItems = unsentItems();
      try {
        writeDeadLetter(unsent);
      } catch (IOException e) {
        log.error("Exporter {} cannot write {} {} to its dead-letter file {} ({}); keeping them"
            + " in the queue and trying again", exporterId, items, signal.itemName(),
            deadLetter, e.toString());
        retryLater(backoff.next());
        return;
      }
      telemetry.sendFailed(signal, unsentItems, reason);
      log.warn("Exporter {} could not deliver {} {} ({}): {}; written to dead-letter file {}",
          exporterId, unsentItems, signal.itemName(), reason, message, deadLetter);
      finish(ConsumeException.permanent("exporter " + exporterId + " could not deliver the"
          + " request (" + reason + "): " + message + "; written to its dead-letter file"));
    }

    /**
     * Done: commit the log up to the oldest batch still unfinished, and answer the callers
     * waiting for the result (wait_for_result) with {@code failure}, or success when null.
     */
    private void finish(ConsumeException failure) {
      long commitTo = 0;
      List<CompletableFuture<Void>> answered = new ArrayList<>();
      synchronized (lock) {
        if (done) {
          return;
        }
        done = true;
        sent = true;
        if (settings.sendingQueue.waitForResult) {
          for (StoredRecord r : records) {
            if (r.position() <= recoveredUpTo) {
              continue;
            }
            CompletableFuture<Void> w = waiters.remove(r.position());
            if (w != null) {
              answered.add(w);
            } else {
              unclaimed.put(r.position(), failure);
            }
          }
        }
        while (!outstanding.isEmpty() && outstanding.firstEntry().getValue().sent) {
          commitTo = outstanding.pollFirstEntry().getValue().last;
        }
      }
      answered.forEach(w -> complete(w, failure));
      // inFlight drops only once the commit is done: shutdown waits for it to reach 0 before
      // it closes the log, so a batch that finishes while the gateway stops is still committed
      // (it was counted out first, shutdown closed the log, the commit was skipped, and the
      // batch was sent again after the restart: LoadBalancingDurableRerouteTest in CI).
      try {
        boolean open;
        synchronized (lock) {
          open = !closed;
        }
        if (open && commitTo > 0) {
          try {
            reader.commit(commitTo);
          } catch (IOException | RuntimeException e) {
            log.warn("Exporter {} could not save its durable queue's position {}: {}; those"
                + " requests will be sent again after a restart", exporterId, commitTo,
                e.toString());
          }
        }
      } finally {
        synchronized (lock) {
          inFlight--;
          lock.notifyAll();
        }
      }
    }

    /** Stops working on the batch without committing it: it is sent again after a restart. */
    private void release() {
      synchronized (lock) {
        if (done) {
          return;
        }
        done = true;
        inFlight--;
        // Stays in outstanding unsent: nothing after it may be committed any more.
        lock.notifyAll();
      }
    }
  }

  private void writeDeadLetter(List<byte[]> requests) throws IOException {
    // The queue commits past these records next: DeadLetters.append forces them to disk first.
    synchronized (deadLetter) {
      DeadLetters.append(deadLetter, requests);
    }
  }

  // ---- shutdown ----

  /**
   * Stops taking requests, lets attempts already sent finish until {@code deadline}, and
   * leaves every unsent request in the log for the next start. Nothing is dropped.
   */
  void shutdown(Instant deadline) {
    accepting = false;
    synchronized (lock) {
      running = false;
      lock.notifyAll();
    }
    try {
      dispatcher.join(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
      if (dispatcher.isAlive()) {
        // Past the deadline, yet it must not read on: a DurableBacklog may read the log next.
        dispatcher.interrupt();
        dispatcher.join(MAX_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Batch> waiting;
    synchronized (lock) {
      waiting = new ArrayList<>(outstanding.values());
    }
    for (Batch b : waiting) {
      ScheduledFuture<?> retry = b.pendingRetry;
      if (retry != null && retry.cancel(false)) {
        b.release();
      }
    }
    synchronized (lock) {
      // Bounded by the deadline; every completion notifies.
      while (inFlight > 0) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0 || !await(Math.min(left, MAX_WAIT_MILLIS))) {
          break;
        }
      }
      closed = true;
    }
    List<CompletableFuture<Void>> stillWaiting;
    synchronized (lock) {
      stillWaiting = new ArrayList<>(waiters.values());
      waiters.clear();
      unclaimed.clear();
    }
    stillWaiting.forEach(w -> w.completeExceptionally(stillQueued()));
    long left = reader.lag();
    if (left > 0) {
      log.info("Exporter {} keeps {} unsent {} requests in its durable queue ({}) for the next"
          + " start{}", exporterId, left, signal.name(), dlog.directory(),
          outage.down() ? " (its destination is down)" : "");
    }
  }

  /** For tests: the batches being sent or waiting to be retried. */
  int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }
}
