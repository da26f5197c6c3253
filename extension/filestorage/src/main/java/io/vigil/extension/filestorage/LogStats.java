package io.vigil.extension.filestorage;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one log, for its owner's metrics and for tests. All are totals since open. */
public final class LogStats {

  final AtomicLong appendedRecords = new AtomicLong();
  final AtomicLong appendedBytes = new AtomicLong();
  final AtomicLong fsyncs = new AtomicLong();
  final AtomicLong budgetRejections = new AtomicLong();
  final AtomicLong segmentsCreated = new AtomicLong();
  final AtomicLong segmentsDeleted = new AtomicLong();
  final AtomicLong corruptions = new AtomicLong();
  final AtomicLong cutBytes = new AtomicLong();
  final AtomicLong skippedBytes = new AtomicLong();
  final AtomicLong lostRecords = new AtomicLong();

  /** Records acknowledged to appenders. */
  public long appendedRecords() {
    return appendedRecords.get();
  }

  /** Bytes written for acknowledged records, headers included. */
  public long appendedBytes() {
    return appendedBytes.get();
  }

  /** Forces of segment data to the device (one per group commit under {@code every_batch}). */
  public long fsyncs() {
    return fsyncs.get();
  }

  /** Appends refused with {@link DiskBudgetExceededException}. */
  public long budgetRejections() {
    return budgetRejections.get();
  }

  public long segmentsCreated() {
    return segmentsCreated.get();
  }

  /** Segments deleted because every reader had committed past them. */
  public long segmentsDeleted() {
    return segmentsDeleted.get();
  }

  /** Damaged regions found (see {@link DurableLog#corruptions()}). */
  public long corruptions() {
    return corruptions.get();
  }

  /** Bytes truncated away at damage that could not be skipped safely (torn tails included). */
  public long cutBytes() {
    return cutBytes.get();
  }

  /** Bytes stepped over between a damaged record and the next valid one. */
  public long skippedBytes() {
    return skippedBytes.get();
  }

  /** Records known to be lost to damage (a torn tail's count is unknown and not included). */
  public long lostRecords() {
    return lostRecords.get();
  }
}
