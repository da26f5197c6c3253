package io.vigil.extension.filestorage;

import io.vigil.extension.filestorage.RecordFormat.Found;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Checks one segment at open and repairs what a crash or a bad disk left: a torn or corrupt
 * record is skipped when the next valid record can be found safely (see {@link RecordFormat}),
 * otherwise the file is cut there, keeping every intact record before the damage.
 */
final class SegmentRecovery {

  private SegmentRecovery() {}

  /**
   * Recovers {@code path}, whose first record should be {@code base}; records must stay below
   * {@code nextBase}, the next segment's first ({@code Long.MAX_VALUE} for the last segment).
   */
  static Segment recover(Path path, long base, long nextBase, Consumer<CorruptionReport> report)
      throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long limit = ch.size();
      long last = base - 1;
      long offset = 0;
      boolean cut = false;
      // Each pass moves `offset` past a record or ends the scan, so it ends at `limit`.
      while (offset < limit) {
        Found f = RecordFormat.readAt(ch, offset, limit);
        if (f != null && f.seq == last + 1 && f.seq < nextBase) {
          last = f.seq;
          offset = f.end;
          continue;
        }
        Found next = RecordFormat.resync(ch, offset + 1, limit, last, nextBase);
        if (next == null) {
          long lost = nextBase == Long.MAX_VALUE ? -1 : nextBase - last - 1;
          ch.truncate(offset);
          ch.force(true);
          report.accept(new CorruptionReport(
              path, offset, limit - offset, lost, CorruptionReport.Action.CUT));
          limit = offset;
          cut = true;
          break;
        }
        report.accept(new CorruptionReport(
            path, offset, next.start - offset, next.seq - last - 1,
            CorruptionReport.Action.SKIPPED));
        last = next.seq;
        offset = next.end;
      }
      if (nextBase != Long.MAX_VALUE && last + 1 < nextBase && offset == limit && !cut) {
        // Every byte was a whole record, yet the next segment starts later: the file was cut
        // short at a record boundary (by hand, or a file system losing its tail).
        report.accept(new CorruptionReport(
            path, limit, 0, nextBase - last - 1, CorruptionReport.Action.MISSING));
      }
      return new Segment(base, path, limit, last);
    }
  }
}
