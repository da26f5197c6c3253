package io.vigil.extension.filestorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The log's single writer thread. It takes every append queued since its last pass, writes
 * them, forces them once (under {@code every_batch}) and then completes their futures: appends
 * that arrive while an fsync runs wait in the queue and share the next one (group commit).
 */
final class LogWriter implements Runnable {

  /** Appends written per pass at most, so one pass cannot hold acknowledgements for long. */
  private static final int MAX_BATCH = 4096;
  private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** One queued append; {@code payload == null} marks the end of the queue at close. */
  record Pending(byte[] payload, CompletableFuture<Long> future) {}

  private static final Pending END = new Pending(null, null);

  private final DurableLog log;
  private final LogOptions options;
  private final LogStats stats;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private boolean closed;

  private Segment active;
  private FileChannel channel;
  /** Bytes written to the active segment, ahead of its published end until the batch is done. */
  private long writeEnd;
  private long nextSeq;
  private boolean dirty;
  private long lastSyncNanos = System.nanoTime();

  LogWriter(DurableLog log, LogOptions options, LogStats stats, long nextSeq) throws IOException {
    this.log = log;
    this.options = options;
    this.stats = stats;
    this.nextSeq = nextSeq;
    openNewSegment();
    this.thread = new Thread(this, "file-storage-writer-" + log.directory().getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an append, or fails it if the log is closed. */
  synchronized void submit(Pending p) {
    if (closed) {
      p.future.completeExceptionally(new IllegalStateException("log " + log.directory()
          + " is closed"));
      return;
    }
    queue.add(p);
  }

  /** Writes what is queued, forces it, and stops the thread (waiting at most {@code millis}). */
  void close(long millis) throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(END);
    }
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IOException("writer of " + log.directory() + " did not finish within " + millis
          + " ms");
    }
  }

  @Override
  public void run() {
    List<Pending> batch = new ArrayList<>();
    boolean end = false;
    // Ends when close() queues END; close() sets `closed` first, so END is the last entry.
    while (!end) {
      batch.clear();
      Pending first;
      try {
        first = queue.poll(waitNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        first = END;
      }
      if (first != null) {
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
      }
      if (!batch.isEmpty() && batch.get(batch.size() - 1) == END) {
        batch.remove(batch.size() - 1);
        end = true;
      }
      writeBatch(batch);
      if (dirty && (end || options.fsyncPolicy() == FsyncPolicy.INTERVAL
          && System.nanoTime() - lastSyncNanos >= options.fsyncInterval().toNanos())) {
        trySync();
      }
    }
    try {
      channel.close();
    } catch (IOException e) {
      DurableLog.LOG.warn("Closing segment {} failed: {}", active.path, e.toString());
    }
  }

  private long waitNanos() {
    if (options.fsyncPolicy() == FsyncPolicy.INTERVAL && dirty) {
      return Math.max(0, options.fsyncInterval().toNanos() - (System.nanoTime() - lastSyncNanos));
    }
    return IDLE_WAIT_NANOS;
  }

  private void writeBatch(List<Pending> batch) {
    List<Pending> written = new ArrayList<>(batch.size());
    long firstSeq = nextSeq;
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      try {
        write(p.payload);
        written.add(p);
      } catch (IOException e) {
        // A failed write (disk full outside our budget, I/O error) must not leave half a
        // record for recovery to puzzle over: cut back to the last whole record.
        failFrom(batch, i, e);
        break;
      }
    }
    if (written.isEmpty()) {
      return;
    }
    dirty = true;
    if (options.fsyncPolicy() == FsyncPolicy.EVERY_BATCH) {
      try {
        sync();
      } catch (IOException e) {
        // The records are in the file but not known to be durable: refuse them so the caller
        // retries; a later read may still deliver them (at least once, never lost).
        publish();
        for (Pending p : written) {
          p.future.completeExceptionally(e);
        }
        return;
      }
    }
    publish();
    long seq = firstSeq;
    for (Pending p : written) {
      stats.appendedRecords.incrementAndGet();
      stats.appendedBytes.addAndGet(RecordFormat.sizeOf(p.payload));
      p.future.complete(seq++);
    }
  }

  private void write(byte[] payload) throws IOException {
    int size = RecordFormat.sizeOf(payload);
    if (writeEnd + size > options.segmentBytes() && writeEnd > 0) {
      roll();
    }
    ByteBuffer[] bufs = {RecordFormat.header(nextSeq, payload), ByteBuffer.wrap(payload)};
    long pos = writeEnd;
    for (ByteBuffer b : bufs) {
      while (b.hasRemaining()) {
        pos += channel.write(b, pos);
      }
    }
    writeEnd = pos;
    nextSeq++;
  }

  private void failFrom(List<Pending> batch, int from, IOException cause) {
    try {
      channel.truncate(writeEnd);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
    for (int j = from; j < batch.size(); j++) {
      Pending p = batch.get(j);
      log.budget().release(RecordFormat.sizeOf(p.payload));
      p.future.completeExceptionally(cause);
    }
  }

  /** Seals the active segment (forced, unless the policy never forces) and starts the next. */
  private void roll() throws IOException {
    if (options.fsyncPolicy() != FsyncPolicy.NEVER) {
      sync();
    }
    // The sealed segment's final end is published before the next segment exists, so a reader
    // that sees the next segment knows the previous one is complete.
    publish();
    FileChannel sealed = channel;
    // If the next segment cannot be created, this throws with the sealed one still open: the
    // failed append is refused and the next one tries again.
    openNewSegment();
    sealed.close();
  }

  private void openNewSegment() throws IOException {
    Segment next = log.createSegment(nextSeq);
    try {
      channel = FileChannel.open(next.path, StandardOpenOption.WRITE);
    } catch (IOException e) {
      log.segments().remove(next.base);
      java.nio.file.Files.deleteIfExists(next.path);
      throw e;
    }
    active = next;
    writeEnd = 0;
    if (options.fsyncPolicy() != FsyncPolicy.NEVER) {
      // The new file's directory entry must be durable too, or a power loss loses the file.
      Directories.force(log.directory());
    }
  }

  /** Makes what was written visible to readers, which never read past a published end. */
  private void publish() {
    active.end = writeEnd;
    active.lastSeq = nextSeq - 1;
    log.published(nextSeq - 1);
  }

  private void sync() throws IOException {
    options.fsyncHook().run();
    channel.force(false);
    stats.fsyncs.incrementAndGet();
    lastSyncNanos = System.nanoTime();
    dirty = false;
  }

  private void trySync() {
    try {
      sync();
    } catch (IOException e) {
      DurableLog.LOG.error("fsync of segment {} failed; records acknowledged since the last"
          + " fsync may not survive a power loss: {}", active.path, e.toString());
    }
  }
}
