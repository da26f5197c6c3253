package io.vigil.exporter.vigilstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;

/**
 * The store on disk: one Lucene index per hour of data ({@code <directory>/2026112804/}), chosen
 * by each record's own time. Retention deletes whole hours, which is cheap (no per-document
 * deletes, no merges) and robust (a directory is there or not). Reads search every hour that
 * overlaps the asked range as one {@link MultiReader}, refreshed first so a read sees every
 * write that completed before it.
 */
final class HourlyIndexes implements AutoCloseable {

  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
  static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

  private final Path root;
  private final StandardAnalyzer analyzer = new StandardAnalyzer();
  /** By hour start in nanoseconds. */
  private final TreeMap<Long, Hour> hours = new TreeMap<>();
  // Writes and reads share; deleting an hour excludes both, so no reader sees a closed index.
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  /** One hour's index. */
  private static final class Hour {
    final Path path;
    final FSDirectory directory;
    final IndexWriter writer;
    final SearcherManager searchers;

    Hour(Path path, StandardAnalyzer analyzer) throws IOException {
      this.path = path;
      this.directory = FSDirectory.open(path);
      this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
      this.searchers = new SearcherManager(writer, null);
    }

    void close() throws IOException {
      searchers.close();
      writer.close();
      directory.close();
    }
  }

  /** Opens the hours already in {@code root}, so a restarted gateway keeps its data. */
  HourlyIndexes(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root);
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path p : dirs.filter(Files::isDirectory).toList()) {
        Long start = hourStart(p.getFileName().toString());
        if (start != null) {
          hours.put(start, new Hour(p, analyzer));
        }
      }
    }
  }

  StandardAnalyzer analyzer() {
    return analyzer;
  }

  private static Long hourStart(String name) {
    if (!name.matches("\\d{10}")) {
      return null; // not one of ours; left alone
    }
    try {
      return TimeRange.nanos(java.time.LocalDateTime.parse(name, HOUR).toInstant(ZoneOffset.UTC));
    } catch (RuntimeException e) {
      return null; // not one of ours; left alone
    }
  }

  static long hourOf(long nanos) {
    return Math.floorDiv(nanos, HOUR_NANOS) * HOUR_NANOS;
  }

  /** Adds documents, each to the hour of its time. */
  void add(Map<Long, List<Document>> byHour) throws IOException {
    lock.readLock().lock();
    try {
      for (Map.Entry<Long, List<Document>> e : byHour.entrySet()) {
        hour(e.getKey()).writer.addDocuments(e.getValue());
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private Hour hour(long start) throws IOException {
    synchronized (hours) {
      Hour h = hours.get(start);
      if (h == null) {
        String name = HOUR.format(Instant.EPOCH.plusNanos(start));
        h = new Hour(root.resolve(name), analyzer);
        hours.put(start, h);
      }
      return h;
    }
  }

  /**
   * Runs {@code search} over the hours overlapping [fromNanos, toNanos) (all hours when
   * {@code range} is null) as one searcher.
   */
  <R> R search(TimeRange range, Function<IndexSearcher, R> search) {
    lock.readLock().lock();
    List<Hour> used = new ArrayList<>();
    List<IndexSearcher> acquired = new ArrayList<>();
    try {
      synchronized (hours) {
        for (Map.Entry<Long, Hour> e : hours.entrySet()) {
          if (range == null || (e.getKey() < range.toNanos()
              && e.getKey() + HOUR_NANOS > range.fromNanos())) {
            used.add(e.getValue());
          }
        }
      }
      IndexReader[] readers = new IndexReader[used.size()];
      for (int i = 0; i < used.size(); i++) {
        used.get(i).searchers.maybeRefreshBlocking();
        IndexSearcher s = used.get(i).searchers.acquire();
        acquired.add(s);
        readers[i] = s.getIndexReader();
      }
      try (MultiReader multi = new MultiReader(readers, false)) {
        return search.apply(new IndexSearcher(multi));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (int i = 0; i < acquired.size(); i++) {
        try {
          used.get(i).searchers.release(acquired.get(i));
        } catch (IOException ignored) {
          // the reader is closed with its hour
        }
      }
      lock.readLock().unlock();
    }
  }

  /** Makes what was written durable: on restart the store reopens from the last commit. */
  void commit() throws IOException {
    lock.readLock().lock();
    try {
      List<Hour> all;
      synchronized (hours) {
        all = new ArrayList<>(hours.values());
      }
      for (Hour h : all) {
        if (h.writer.hasUncommittedChanges()) {
          h.writer.commit();
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Deletes hours that ended more than {@code retention} before {@code now}, then the oldest
   * hours while the store is larger than {@code maxDiskBytes} (0: no limit), keeping at least
   * the newest hour. Returns the hours deleted, by directory name.
   */
  List<String> enforceRetention(Instant now, Duration retention, long maxDiskBytes)
      throws IOException {
    List<String> deleted = new ArrayList<>();
    lock.writeLock().lock();
    try {
      long oldestKept = hourOf(TimeRange.nanos(now.minus(retention)));
      while (!hours.isEmpty() && hours.firstKey() < oldestKept) {
        deleted.add(delete(hours.firstKey()));
      }
      if (maxDiskBytes > 0) {
        commitAll();
        while (hours.size() > 1 && diskBytes() > maxDiskBytes) {
          deleted.add(delete(hours.firstKey()));
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    return deleted;
  }

  /** Whether an item of this time would be deleted at once: such items are not stored. */
  static boolean expired(long nanos, Instant now, Duration retention) {
    return hourOf(nanos) < hourOf(TimeRange.nanos(now.minus(retention)));
  }

  private void commitAll() throws IOException {
    for (Hour h : hours.values()) {
      if (h.writer.hasUncommittedChanges()) {
        h.writer.commit();
      }
    }
  }

  private String delete(long start) throws IOException {
    Hour h;
    // The write lock keeps searches and writes out; the monitor keeps hourNames() consistent.
    synchronized (hours) {
      h = hours.remove(start);
    }
    h.close();
    try (Stream<Path> files = Files.walk(h.path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    return h.path.getFileName().toString();
  }

  /** Bytes of every hour's files on disk. */
  long diskBytes() throws IOException {
    long total = 0;
    synchronized (hours) {
      for (Hour h : hours.values()) {
        for (String f : h.directory.listAll()) {
          try {
            total += h.directory.fileLength(f);
          } catch (java.nio.file.NoSuchFileException gone) {
            // merged away between listing and measuring
          }
        }
      }
    }
    return total;
  }

  /** Directory names of the hours held, oldest first. */
  List<String> hourNames() {
    synchronized (hours) {
      return hours.values().stream().map(h -> h.path.getFileName().toString()).toList();
    }
  }

  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      for (Hour h : hours.values()) {
        h.writer.commit();
        h.close();
      }
      hours.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
