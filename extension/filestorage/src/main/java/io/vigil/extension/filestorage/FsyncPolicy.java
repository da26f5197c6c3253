package io.vigil.extension.filestorage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When the log forces appended records to the storage device, and therefore what an
 * acknowledged append survives. Every policy writes a record into the operating system's page
 * cache before acknowledging it, so all three survive the gateway being killed ({@code kill -9},
 * an OOM kill, a crash); they differ only on what a power loss or kernel crash takes.
 */
public enum FsyncPolicy {
  /**
   * Group commit: an append is acknowledged after an fsync that covers it. Appends arriving while
   * an fsync runs share the next one, so the cost is one fsync per batch, not per record.
   * Survives power loss (on a device that honours flushes).
   */
  EVERY_BATCH,
  /**
   * Acknowledged once written; fsync at most every {@code fsync_interval}. A power loss loses at
   * most the last interval of acknowledged records.
   */
  INTERVAL,
  /**
   * Acknowledged once written; the kernel writes back when it likes (Linux: typically within
   * 30 s). A power loss can lose whatever was not yet written back.
   */
  NEVER;

  /** The config spelling: {@code every_batch}, {@code interval}, {@code never}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the config spelling.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static FsyncPolicy parse(String value) {
    for (FsyncPolicy p : values()) {
      if (p.configName().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unsupported value \"" + value + "\"; use "
            + Arrays.stream(values()).map(FsyncPolicy::configName).collect(Collectors.joining(", ")));
  }
}
