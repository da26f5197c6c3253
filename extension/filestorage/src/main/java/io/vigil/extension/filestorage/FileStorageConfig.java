package io.vigil.extension.filestorage;

import io.vigil.core.config.ConfigException;
import java.time.Duration;

/**
 * The {@code file_storage} extension's settings: the Collector's {@code directory},
 * {@code timeout} and {@code fsync}, plus the write-ahead log's disk budget, segment size and
 * fsync policy.
 */
public class FileStorageConfig {

  /** Smallest segment: below this the per-file overhead (open, fsync of the directory) dominates. */
  static final long MIN_SEGMENT_BYTES = 4096;
  /** Largest segment: recovery scans a segment at a time and a reader keeps one open. */
  static final long MAX_SEGMENT_BYTES = 1L << 30;

  /** Where the logs live, one sub-directory per log. Required; created if missing. */
  public String directory = "";
  /** How long to wait for the directory's lock when another process (a gateway) holds it. */
  public Duration timeout = Duration.ofSeconds(1);
  /**
   * The Collector's switch, kept so its configs carry over: {@code true} means
   * {@code fsync_policy: every_batch}, {@code false} means {@code never}. Unset by default, so
   * {@code fsync_policy} decides.
   */
  public Boolean fsync;
  /** {@code every_batch} (default), {@code interval} or {@code never}; see {@link FsyncPolicy}. */
  public String fsyncPolicy;
  /** How often {@code fsync_policy: interval} forces the log to disk. */
  public Duration fsyncInterval = Duration.ofSeconds(1);
  /** Disk budget shared by every log of this extension: segments plus appends in flight. */
  public long maxDiskBytes = 1L << 30;
  /** Size at which a log starts a new segment file; whole segments are deleted once read. */
  public long segmentBytes = 16L << 20;

  /** The policy that applies, from {@code fsync_policy} or else the Collector's {@code fsync}. */
  public FsyncPolicy effectiveFsyncPolicy() {
    if (fsyncPolicy != null) {
      return FsyncPolicy.parse(fsyncPolicy);
    }
    if (fsync != null) {
      return fsync ? FsyncPolicy.EVERY_BATCH : FsyncPolicy.NEVER;
    }
    return FsyncPolicy.EVERY_BATCH;
  }

  /**
   * Checks the settings without touching the disk (the directory is created and probed at start).
   *
   * @throws ConfigException naming the key relative to the extension
   */
  public void validate() {
    if (directory == null || directory.isBlank()) {
      throw new ConfigException("directory", "required: the directory that holds the logs");
    }
    ConfigException.requirePositive(timeout, "timeout");
    FsyncPolicy policy;
    try {
      policy = fsyncPolicy == null ? null : FsyncPolicy.parse(fsyncPolicy);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("fsync_policy", e.getMessage());
    }
    if (policy != null && fsync != null
        && policy != (fsync ? FsyncPolicy.EVERY_BATCH : FsyncPolicy.NEVER)) {
      throw new ConfigException(
          "fsync",
          "fsync: " + fsync + " contradicts fsync_policy: " + fsyncPolicy
              + "; set only fsync_policy");
    }
    if (effectiveFsyncPolicy() == FsyncPolicy.INTERVAL) {
      ConfigException.requirePositive(fsyncInterval, "fsync_interval");
    }
    if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new ConfigException(
          "segment_bytes",
          "must be between " + MIN_SEGMENT_BYTES + " and " + MAX_SEGMENT_BYTES + ", got "
              + segmentBytes);
    }
    if (maxDiskBytes < 2 * segmentBytes) {
      throw new ConfigException(
          "max_disk_bytes",
          "must be at least twice segment_bytes (" + 2 * segmentBytes + "), so a full segment can"
              + " be deleted while the next one fills; got " + maxDiskBytes);
    }
  }
}
