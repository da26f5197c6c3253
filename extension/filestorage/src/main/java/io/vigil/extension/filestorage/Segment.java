package io.vigil.extension.filestorage;

import java.nio.file.Path;

/**
 * One segment file, named by the sequence number of its first record
 * ({@code 00000000000000000001.seg}). The writer publishes {@code end} and {@code lastSeq} after
 * the records up to them are acknowledged; readers never look past them.
 */
final class Segment {

  static final String SUFFIX = ".seg";

  final long base;
  final Path path;
  volatile long end;
  /** Sequence number of the last record; {@code base - 1} while empty. */
  volatile long lastSeq;

  Segment(long base, Path path, long end, long lastSeq) {
    this.base = base;
    this.path = path;
    this.end = end;
    this.lastSeq = lastSeq;
  }

  static String fileName(long base) {
    return String.format("%020d%s", base, SUFFIX);
  }

  /** The base encoded in a segment file name, or -1 if the name is not a segment's. */
  static long parseBase(String fileName) {
    if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
      return -1;
    }
    String digits = fileName.substring(0, 20);
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return -1;
      }
    }
    try {
      long base = Long.parseLong(digits);
      return base >= 1 ? base : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  boolean isEmpty() {
    return lastSeq < base;
  }
}
