package io.vigil.extension.filestorage;

import java.nio.file.Path;

/**
 * Damage found in a segment and what was done about it.
 *
 * @param file the segment
 * @param offset where the damage starts
 * @param bytes how many bytes were skipped or cut
 * @param lostRecords how many records the damage took, or -1 when unknown (a torn tail: the last
 *     records may never have been acknowledged)
 * @param action {@code SKIPPED}: the log resynchronised on the next valid record and kept the
 *     file; {@code CUT}: the file was truncated at the damage, keeping every record before it
 */
public record CorruptionReport(Path file, long offset, long bytes, long lostRecords, Action action) {

  /** What recovery did with the damaged bytes. */
  public enum Action {
    SKIPPED,
    CUT,
    MISSING
  }

  @Override
  public String toString() {
    return action + " " + bytes + " bytes at offset " + offset + " of " + file
        + (lostRecords >= 0 ? " (" + lostRecords + " records lost)" : "");
  }
}
