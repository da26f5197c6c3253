package io.vigil.extension.filestorage;

import java.time.Duration;
import java.util.Objects;

/** How a {@link DurableLog} writes: fsync policy, segment size, disk budget. Immutable. */
public final class LogOptions {

  private final FsyncPolicy fsyncPolicy;
  private final Duration fsyncInterval;
  private final long segmentBytes;
  private final DiskBudget budget;
  private final Runnable fsyncHook;

  private LogOptions(Builder b) {
    this.fsyncPolicy = b.fsyncPolicy;
    this.fsyncInterval = b.fsyncInterval;
    this.segmentBytes = b.segmentBytes;
    this.budget = b.budget;
    this.fsyncHook = b.fsyncHook;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The log's options from a {@code file_storage} config, sharing the extension's budget. */
  static LogOptions from(FileStorageConfig c, DiskBudget budget) {
    return builder()
        .fsyncPolicy(c.effectiveFsyncPolicy())
        .fsyncInterval(c.fsyncInterval)
        .segmentBytes(c.segmentBytes)
        .budget(budget)
        .build();
  }

  public FsyncPolicy fsyncPolicy() {
    return fsyncPolicy;
  }

  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  public long segmentBytes() {
    return segmentBytes;
  }

  public DiskBudget budget() {
    return budget;
  }

  Runnable fsyncHook() {
    return fsyncHook;
  }

  /** Defaults: {@code every_batch}, 1 s interval, 16 MiB segments, 1 GiB budget. */
  public static final class Builder {
    private FsyncPolicy fsyncPolicy = FsyncPolicy.EVERY_BATCH;
    private Duration fsyncInterval = Duration.ofSeconds(1);
    private long segmentBytes = 16L << 20;
    private DiskBudget budget;
    private Runnable fsyncHook = () -> {};

    private Builder() {}

    public Builder fsyncPolicy(FsyncPolicy p) {
      this.fsyncPolicy = Objects.requireNonNull(p);
      return this;
    }

    public Builder fsyncInterval(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("fsync_interval must be positive, got " + d);
      }
      this.fsyncInterval = d;
      return this;
    }

    public Builder segmentBytes(long bytes) {
      if (bytes < RecordFormat.HEADER_BYTES + 1 || bytes > FileStorageConfig.MAX_SEGMENT_BYTES) {
        throw new IllegalArgumentException("segment_bytes out of range: " + bytes);
      }
      this.segmentBytes = bytes;
      return this;
    }

    /** Shares a budget between logs; without one each log gets its own 1 GiB. */
    public Builder budget(DiskBudget b) {
      this.budget = Objects.requireNonNull(b);
      return this;
    }

    /**
     * Runs on the writer thread just before each fsync: for tests that count fsyncs or hold one
     * open to watch appends group behind it, and for benchmarks.
     */
    public Builder fsyncHook(Runnable hook) {
      this.fsyncHook = Objects.requireNonNull(hook);
      return this;
    }

    public LogOptions build() {
      if (budget == null) {
        budget = new DiskBudget(1L << 30);
      }
      return new LogOptions(this);
    }
  }
}
