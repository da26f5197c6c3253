package io.vigil.extension.filestorage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Acknowledged appends of 1 KiB records per second, per fsync policy, with 1, 4 and 16 threads
 * each waiting for its own append (as sending-queue producers will). A reader drains and commits
 * in the background so segments are deleted and the disk use stays flat. Under
 * {@code every_batch} the score is bounded by fsync latency times the group size: more appenders
 * share each fsync, which is what group commit is for.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AppendBenchmark {

  @Param({"every_batch", "interval", "never"})
  public String policy;

  private final byte[] record = new byte[1024];
  private Path dir;
  private DurableLog log;
  private Thread drainer;
  private volatile boolean running;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("append-bench");
    log = DurableLog.open(dir, LogOptions.builder()
        .fsyncPolicy(FsyncPolicy.parse(policy))
        .segmentBytes(16L << 20)
        .budget(DiskBudget.unlimited())
        .build());
    LogReader reader = log.reader("drain");
    running = true;
    drainer = new Thread(() -> {
      try {
        while (running) {
          List<StoredRecord> batch = reader.next(4096);
          if (batch.isEmpty()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
          } else {
            reader.commit(batch.get(batch.size() - 1).position());
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "drain");
    drainer.start();
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    running = false;
    drainer.join(10_000);
    log.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @Threads(1)
  public long append1Thread() {
    return log.append(record).join();
  }

  @Benchmark
  @Threads(4)
  public long append4Threads() {
    return log.append(record).join();
  }

  @Benchmark
  @Threads(16)
  public long append16Threads() {
    return log.append(record).join();
  }
}
