package io.vigil.extension.filestorage;

/**
 * An append refused because it would take the log's directory past {@code max_disk_bytes}.
 * Nothing was written; earlier records are untouched. Retryable: space comes back when every
 * reader has committed past a segment and the segment is deleted.
 */
public final class DiskBudgetExceededException extends RuntimeException {

  private final long requested;
  private final long used;
  private final long max;

  DiskBudgetExceededException(long requested, long used, long max) {
    super("disk budget exhausted: appending " + requested + " bytes would take the use from "
        + used + " past max_disk_bytes " + max + "; retry once readers commit and a segment is"
        + " deleted, or raise max_disk_bytes");
    this.requested = requested;
    this.used = used;
    this.max = max;
  }

  /** Always true: the same append can succeed later. */
  public boolean isRetryable() {
    return true;
  }

  public long requested() {
    return requested;
  }

  public long used() {
    return used;
  }

  public long max() {
    return max;
  }
}
