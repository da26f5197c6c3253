package io.vigil.extension.filestorage;

import io.vigil.extension.filestorage.RecordFormat.Found;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One consumer's view of a {@link DurableLog}: reads acknowledged records in order and saves the
 * position it has finished with. After a restart it reads again from just after its last
 * commit, so records read but not committed are delivered again (at least once). Meant for one
 * consumer thread; its methods are synchronized so a stray second caller cannot corrupt it.
 */
public final class LogReader implements Closeable {

  private final DurableLog log;
  private final String name;
  private final Path file;
  private volatile long committed;
  /** The last position handed out by {@link #next}. */
  private long delivered;

  private Segment segment;
  private FileChannel channel;
  private long offset;
  /** Sequence number of the last record parsed in {@code segment}, to spot damage and gaps. */
  private long lastInSegment;

  LogReader(DurableLog log, String name, Path file, long committed) {
    this.log = log;
    this.name = name;
    this.file = file;
    this.committed = committed;
    this.delivered = committed;
  }

  public String name() {
    return name;
  }

  /** The last position this reader committed. */
  public long committed() {
    return committed;
  }

  /** Acknowledged records this reader has not committed yet. */
  public long lag() {
    return Math.max(0, log.readable() - committed);
  }

  /**
   * Up to {@code max} records after the last one returned, in order; empty when the reader has
   * caught up with the acknowledged records.
   */
  public synchronized List<StoredRecord> next(int max) throws IOException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    List<StoredRecord> out = new ArrayList<>(Math.min(max, 1024));
    long readable = log.readable();
    // Every pass returns a record, steps over one, moves to a later segment or stops; all are
    // bounded by the records and segments present when the call began.
    while (out.size() < max && delivered < readable) {
      if (segment == null && !moveTo(log.segments().floorEntry(delivered + 1))) {
        break;
      }
      long limit = segment.end;
      Found f = RecordFormat.readAt(channel, offset, limit);
      if (f != null && f.seq != lastInSegment + 1) {
        f = null; // valid bytes in the wrong place: treat like damage
      }
      if (f == null && offset < limit) {
        Map.Entry<Long, Segment> next = log.segments().higherEntry(segment.base);
        f = RecordFormat.resync(channel, offset + 1, limit, lastInSegment,
            next == null ? Long.MAX_VALUE : next.getKey());
      }
      if (f == null) {
        // End of this segment's published bytes: go on to the next segment. Without one this
        // is the active segment: stay on it, so the next call goes on from here.
        Map.Entry<Long, Segment> next = log.segments().higherEntry(segment.base);
        if (next == null) {
          break;
        }
        if (segment.end > limit) {
          // The writer published this segment's last records after we read its end and before
          // it started the next segment (which it adds only after that final publish): read them.
          continue;
        }
        if (!moveTo(next)) {
          break;
        }
        continue;
      }
      if (f.seq > readable) {
        break;
      }
      offset = f.end;
      lastInSegment = f.seq;
      if (f.seq > delivered) {
        out.add(new StoredRecord(f.seq, f.payload));
        delivered = f.seq;
      }
    }
    return out;
  }

  /**
   * Saves {@code position} as done: after a restart this reader continues after it, and
   * segments every reader has committed past are deleted. Committing an older position again
   * does nothing.
   *
   * @throws IllegalArgumentException if {@code position} was not returned by {@link #next} yet
   */
  public synchronized void commit(long position) throws IOException {
    if (position > delivered) {
      throw new IllegalArgumentException("reader " + name + " cannot commit position " + position
          + ": it has read only up to " + delivered);
    }
    if (position <= committed) {
      return;
    }
    ReaderPosition.save(file, position, log.options().fsyncPolicy() != FsyncPolicy.NEVER);
    committed = position;
    log.deleteConsumedSegments();
  }

  /** Goes back to just after the committed position, to read uncommitted records again. */
  public synchronized void rewind() throws IOException {
    delivered = committed;
    closeSegment();
  }

  @Override
  public synchronized void close() throws IOException {
    closeSegment();
  }

  Path file() {
    return file;
  }

  /** Positions at the start of {@code e}'s segment, or the first one if {@code e} is null. */
  private boolean moveTo(Map.Entry<Long, Segment> e) throws IOException {
    closeSegment();
    Map.Entry<Long, Segment> target = e != null ? e : log.segments().firstEntry();
    // A segment deleted since it was looked up was consumed by every reader; try the next.
    for (int i = 0; target != null && i < 1_000; i++) {
      try {
        channel = FileChannel.open(target.getValue().path, StandardOpenOption.READ);
        segment = target.getValue();
        offset = 0;
        lastInSegment = segment.base - 1;
        return true;
      } catch (NoSuchFileException gone) {
        target = log.segments().higherEntry(target.getKey());
      }
    }
    return false;
  }

  private void closeSegment() throws IOException {
    if (channel != null) {
      channel.close();
    }
    channel = null;
    segment = null;
  }
}
