package io.vigil.exporter.featurerows;

import io.vigil.featurerows.FeatureRow;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Holds closed rows per period (by window start) and writes each period as one Parquet file
 * once no more rows can come for it; then applies retention. A period whose file exists
 * already (the gateway restarted within it) gets a numbered sibling, never an overwrite.
 *
 * <p>Rows wait in memory until their period is written: a crash loses at most the current
 * period's rows (one hour by default, a few hundred KB for a hundred services).
 */
final class RollingFeatureFiles {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  private final Path directory;
  private final String prefix;
  private final long periodNanos;
  private final long maxAgeNanos;
  private final long maxBytes;
  private final List<String> names;
  private final Logger log;
  private final TreeMap<Long, List<FeatureRow>> pending = new TreeMap<>();
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong filesWritten = new AtomicLong();
  private final AtomicLong rowsLost = new AtomicLong();

  RollingFeatureFiles(FeatureRowsExporterConfig c, List<String> names, Logger log) {
    this.directory = Path.of(c.directory);
    this.prefix = c.filePrefix;
    this.periodNanos = c.rollInterval.toNanos();
    this.maxAgeNanos = c.retention.maxAge.toNanos();
    this.maxBytes = c.retention.maxSizeMib * 1024 * 1024;
    this.names = names;
    this.log = log;
  }

  synchronized void add(List<FeatureRow> rows) {
    for (FeatureRow r : rows) {
      long period = Math.floorDiv(r.windowStartNanos(), periodNanos) * periodNanos;
      pending.computeIfAbsent(period, p -> new ArrayList<>()).add(r);
    }
  }

  /** Writes every period that ends at or before {@code closedBefore} (no row can join it). */
  synchronized void writeFinished(long closedBefore, long nowNanos) {
    Map<Long, List<FeatureRow>> done = pending.headMap(closedBefore - periodNanos, true);
    writeAll(done, nowNanos);
  }

  /** Writes everything held, finished or not (shutdown). */
  synchronized void writeAll(long nowNanos) {
    writeAll(pending, nowNanos);
  }

  private void writeAll(Map<Long, List<FeatureRow>> periods, long nowNanos) {
    if (periods.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      log.error("featurerows: cannot create {} ({}); rows are kept and retried", directory,
          e.toString());
      return;
    }
    for (var it = periods.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Path target = freeName(e.getKey());
      try {
        ParquetRowWriter.write(target, names, e.getValue());
        rowsWritten.addAndGet(e.getValue().size());
        filesWritten.incrementAndGet();
        log.debug("featurerows: wrote {} rows to {}", e.getValue().size(), target);
      } catch (IOException | RuntimeException ex) {
        // Retrying a write that failed once (disk full, a bad directory) would hold ever more
        // rows; they are counted and reported instead.
        rowsLost.addAndGet(e.getValue().size());
        log.error("featurerows: {} rows of the period starting {} were not written to {}: {}",
            e.getValue().size(), Instant.ofEpochSecond(0, e.getKey()), target, ex.toString());
      }
      it.remove();
    }
    applyRetention(nowNanos);
  }

  private Path freeName(long period) {
    String stamp = STAMP.format(Instant.ofEpochSecond(0, period));
    Path p = directory.resolve(prefix + "-" + stamp + ".parquet");
    for (int n = 1; Files.exists(p); n++) {
      p = directory.resolve(prefix + "-" + stamp + "-" + n + ".parquet");
    }
    return p;
  }

  /** This exporter's files, oldest first (the names sort by period). */
  List<Path> files() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, prefix + "-*.parquet")) {
      ds.forEach(out::add);
    }
    out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return out;
  }

  private void applyRetention(long nowNanos) {
    try {
      List<Path> files = files();
      long total = 0;
      for (Path f : files) {
        total += Files.size(f);
      }
      for (int i = 0; i < files.size() - 1; i++) {
        Path f = files.get(i);
        long age = nowNanos - periodEnd(f);
        boolean tooOld = maxAgeNanos > 0 && age > maxAgeNanos;
        boolean tooBig = maxBytes > 0 && total > maxBytes;
        if (!tooOld && !tooBig) {
          break;
        }
        long size = Files.size(f);
        Files.deleteIfExists(f);
        total -= size;
        log.info("featurerows: deleted {} ({})", f, tooOld ? "older than retention::max_age"
            : "over retention::max_size_mib");
      }
    } catch (IOException e) {
      log.warn("featurerows: retention in {} failed: {}", directory, e.toString());
    }
  }

  /**
   * When the file's period ended, from its name (so age is measured on the same clock as the
   * rows, whatever the file system did to the time stamps), else its modification time.
   */
  private long periodEnd(Path f) throws IOException {
    String name = f.getFileName().toString();
    int from = prefix.length() + 1;
    if (name.length() >= from + 14) {
      try {
        Instant start = Instant.from(STAMP.parse(name.substring(from, from + 14)));
        return start.getEpochSecond() * 1_000_000_000L + periodNanos;
      } catch (java.time.DateTimeException e) {
        // Not a name this exporter wrote: fall back to the time stamp.
      }
    }
    return Files.getLastModifiedTime(f).toInstant().toEpochMilli() * 1_000_000L;
  }

  long rowsWritten() {
    return rowsWritten.get();
  }

  long filesWritten() {
    return filesWritten.get();
  }

  long rowsLost() {
    return rowsLost.get();
  }

  synchronized int pendingRows() {
    return pending.values().stream().mapToInt(List::size).sum();
  }
}
