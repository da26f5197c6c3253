package io.vigil.extension.filestorage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segmented write-ahead log in one directory: appends from any thread, one writer thread with
 * group commit, and named readers that each keep a committed position across restarts.
 *
 * <pre>
 * DIR/00000000000000000001.seg   records 1..n        (deleted once every reader committed past n)
 * DIR/00000000000000000n+1.seg   records n+1..       (the active segment)
 * DIR/readers/NAME.pos           a reader's committed position
 * </pre>
 *
 * <p>A record's position is its sequence number, counted from 1 and never reused. On open every
 * segment is checked (see {@link SegmentRecovery}); what was skipped or cut is logged with file,
 * offset and size, counted in {@link #stats()} and listed in {@link #corruptions()}. Writing
 * then continues in a new segment, so a repaired file is never appended to.
 *
 * <p>What this method family throws: {@link IOException} for I/O failures at open and on
 * reader commits, {@link IllegalArgumentException} for bad arguments (a record larger than a
 * segment, a bad reader name), and futures from {@link #append} fail with
 * {@link DiskBudgetExceededException} (retryable), {@link IOException} or
 * {@link IllegalStateException} (closed). Damaged segment bytes never cause an exception.
 */
public final class DurableLog implements Closeable {

  static final Logger LOG = LoggerFactory.getLogger(DurableLog.class);
  private static final Pattern READER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final String READERS = "readers";
  private static final long CLOSE_WAIT_MILLIS = 30_000;

  private final Path dir;
  private final LogOptions options;
  private final LogStats stats = new LogStats();
  private final List<CorruptionReport> corruptions = new CopyOnWriteArrayList<>();
  private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final Map<String, LogReader> readers = new ConcurrentHashMap<>();
  private final Object deletion = new Object();
  /** The last acknowledged sequence number; readers stop there. */
  private volatile long readable;
  private LogWriter writer;

  private DurableLog(Path dir, LogOptions options) {
    this.dir = dir;
    this.options = options;
  }

  /**
   * Opens (or creates) the log in {@code dir}, recovering what a crash left.
   *
   * @throws IOException if the directory cannot be created, read or written
   */
  public static DurableLog open(Path dir, LogOptions options) throws IOException {
    DurableLog log = new DurableLog(dir, options);
    log.recover();
    return log;
  }

  private void recover() throws IOException {
    Files.createDirectories(dir.resolve(READERS));
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + Segment.SUFFIX)) {
      for (Path p : s) {
        long base = Segment.parseBase(p.getFileName().toString());
        if (base > 0) {
          files.put(base, p);
        } else {
          LOG.warn("Ignoring {}: not a segment name (20 digits + .seg)", p);
        }
      }
    }
    long last = 0;
    for (Map.Entry<Long, Path> e : files.entrySet()) {
      Long next = files.higherKey(e.getKey());
      Segment seg = SegmentRecovery.recover(
          e.getValue(), e.getKey(), next == null ? Long.MAX_VALUE : next, this::damaged);
      last = Math.max(last, seg.lastSeq);
      if (seg.isEmpty()) {
        // Nothing to read in it; its base still counts so sequence numbers never go back.
        Files.delete(seg.path);
      } else {
        segments.put(seg.base, seg);
        options.budget().charge(seg.end);
      }
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve(READERS))) {
      for (Path p : s) {
        String f = p.getFileName().toString();
        if (f.endsWith(".tmp")) {
          Files.deleteIfExists(p); // a save interrupted before its rename: the old file stands
        } else if (f.endsWith(ReaderPosition.SUFFIX)) {
          String name = f.substring(0, f.length() - ReaderPosition.SUFFIX.length());
          Long committed = ReaderPosition.load(p);
          if (committed == null) {
            // Cannot happen through a crash (saves are atomic renames); bad disk or a hand
            // edit. Starting over re-delivers records rather than losing any.
            LOG.warn("Reader position {} is damaged; reader {} starts again from the oldest"
                + " record kept (records may be delivered twice)", p, name);
            committed = 0L;
          }
          readers.put(name, new LogReader(this, name, p, committed));
          last = Math.max(last, committed);
        }
      }
    }
    readable = last;
    writer = new LogWriter(this, options, stats, last + 1);
  }

  private void damaged(CorruptionReport r) {
    corruptions.add(r);
    stats.corruptions.incrementAndGet();
    if (r.action() == CorruptionReport.Action.CUT) {
      stats.cutBytes.addAndGet(r.bytes());
    } else if (r.action() == CorruptionReport.Action.SKIPPED) {
      stats.skippedBytes.addAndGet(r.bytes());
    }
    if (r.lostRecords() > 0) {
      stats.lostRecords.addAndGet(r.lostRecords());
    }
    LOG.warn("Segment {} was damaged at offset {}: {} {} bytes{}; every intact record before"
            + " the damage is kept{}",
        r.file(), r.offset(), r.action().name().toLowerCase(),
        r.bytes(), r.lostRecords() >= 0 ? ", losing " + r.lostRecords() + " records" : "",
        r.action() == CorruptionReport.Action.CUT && r.lostRecords() < 0
            ? " (a torn tail: the write a crash interrupted, never acknowledged under"
                + " fsync_policy every_batch)"
            : "");
  }

  /**
   * Appends a record. The future completes with the record's position once it is written and,
   * under {@code every_batch}, forced to the device; or fails with
   * {@link DiskBudgetExceededException} at once when the budget has no room (nothing written).
   *
   * @throws IllegalArgumentException if the record cannot fit in a segment
   */
  public CompletableFuture<Long> append(byte[] record) {
    int size = RecordFormat.sizeOf(record);
    if (size > options.segmentBytes()) {
      throw new IllegalArgumentException("record of " + record.length + " bytes does not fit in a"
          + " segment of segment_bytes " + options.segmentBytes());
    }
    CompletableFuture<Long> f = new CompletableFuture<>();
    try {
      options.budget().reserve(size);
    } catch (DiskBudgetExceededException e) {
      stats.budgetRejections.incrementAndGet();
      f.completeExceptionally(e);
      return f;
    }
    writer.submit(new LogWriter.Pending(record, f));
    return f;
  }

  /**
   * The reader with this name, created on first use and remembered across restarts. A new
   * reader starts at the oldest record kept. Segments are deleted only once every reader has
   * committed past them, so remove readers that are gone for good.
   *
   * @throws IllegalArgumentException if the name is not 1–128 of {@code [A-Za-z0-9._-]}
   */
  public LogReader reader(String name) throws IOException {
    if (name == null || !READER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("reader name \"" + name + "\" must be 1-128 characters"
          + " of A-Z a-z 0-9 . _ - and start with a letter or digit");
    }
    synchronized (deletion) {
      LogReader r = readers.get(name);
      if (r == null) {
        Map.Entry<Long, Segment> first = segments.firstEntry();
        long start = first == null ? readable : first.getValue().base - 1;
        Path file = dir.resolve(READERS).resolve(name + ReaderPosition.SUFFIX);
        ReaderPosition.save(file, start, options.fsyncPolicy() != FsyncPolicy.NEVER);
        r = new LogReader(this, name, file, start);
        readers.put(name, r);
      }
      return r;
    }
  }

  /** Forgets a reader, so segments no longer wait for it. */
  public void removeReader(String name) throws IOException {
    synchronized (deletion) {
      LogReader r = readers.remove(name);
      if (r != null) {
        r.close();
        Files.deleteIfExists(r.file());
      }
    }
    deleteConsumedSegments();
  }

  /** Names of the registered readers. */
  public List<String> readerNames() {
    return List.copyOf(new TreeMap<>(readers).keySet());
  }

  public LogStats stats() {
    return stats;
  }

  /** Damage found at open, in the order found. */
  public List<CorruptionReport> corruptions() {
    return List.copyOf(corruptions);
  }

  /** The position of the last acknowledged record (0 if none was ever appended). */
  public long lastPosition() {
    return readable;
  }

  /** Number of segment files (the active one included). */
  public int segmentCount() {
    return segments.size();
  }

  public Path directory() {
    return dir;
  }

  /** Writes and forces what is queued, then stops. Appends after close fail. */
  @Override
  public void close() throws IOException {
    writer.close(CLOSE_WAIT_MILLIS);
    for (LogReader r : readers.values()) {
      r.close();
    }
  }

  // ---- used by the writer and the readers ----

  LogOptions options() {
    return options;
  }

  DiskBudget budget() {
    return options.budget();
  }

  long readable() {
    return readable;
  }

  void published(long lastSeq) {
    readable = lastSeq;
  }

  ConcurrentSkipListMap<Long, Segment> segments() {
    return segments;
  }

  Segment createSegment(long base) throws IOException {
    Path p = dir.resolve(Segment.fileName(base));
    Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    Segment s = new Segment(base, p, 0, base - 1);
    segments.put(base, s);
    stats.segmentsCreated.incrementAndGet();
    return s;
  }

  /** Deletes the oldest segments that every reader has committed past (never the active one). */
  void deleteConsumedSegments() throws IOException {
    synchronized (deletion) {
      if (readers.isEmpty() || segments.isEmpty()) {
        return; // nobody has read anything: keep it all
      }
      long min = Long.MAX_VALUE;
      for (LogReader r : readers.values()) {
        min = Math.min(min, r.committed());
      }
      List<Segment> done = new ArrayList<>();
      for (Segment s : segments.headMap(segments.lastKey()).values()) {
        if (s.lastSeq > min) {
          break;
        }
        done.add(s);
      }
      for (Segment s : done) {
        Files.deleteIfExists(s.path);
        segments.remove(s.base);
        options.budget().release(s.end);
        stats.segmentsDeleted.incrementAndGet();
      }
    }
  }
}
