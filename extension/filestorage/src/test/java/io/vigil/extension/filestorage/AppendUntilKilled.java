package io.vigil.extension.filestorage;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link KillNineTest}: appends numbered records from several threads and
 * prints each number once its append is acknowledged, until it is killed.
 *
 * <p>Arguments: log directory, first number, fsync policy.
 */
public final class AppendUntilKilled {

  private static final int THREADS = 4;
  /** Bounds the run if nobody kills it. */
  private static final long MAX_PER_THREAD = 2_000_000;

  private AppendUntilKilled() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    AtomicLong next = new AtomicLong(Long.parseLong(args[1]));
    FsyncPolicy policy = FsyncPolicy.parse(args[2]);
    // Small segments, so kills also land between a segment's seal and the next one's creation.
    DurableLog log = DurableLog.open(dir,
        LogOptions.builder().fsyncPolicy(policy).segmentBytes(16 * 1024).build());
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Thread[] threads = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      threads[t] = new Thread(() -> {
        for (long i = 0; i < MAX_PER_THREAD; i++) {
          long n = next.getAndIncrement();
          byte[] payload = ("n=" + n + ";" + "x".repeat((int) (n % 300)))
              .getBytes(StandardCharsets.UTF_8);
          log.append(payload).join();
          out.println(n);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    log.close();
  }
}
