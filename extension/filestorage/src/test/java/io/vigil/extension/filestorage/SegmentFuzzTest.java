package io.vigil.extension.filestorage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments of random and mutated bytes. Opening and reading them must never throw (damaged bytes
 * are documented to be skipped or cut, not thrown), and every record read back must be one that
 * was written, at its own position: damage may lose records but never invents or moves one.
 */
class SegmentFuzzTest {

  private static final int CASES = 100;

  @TempDir Path tmp;

  @Test
  void randomBytesNeverThrowAndYieldNoRecords() throws IOException {
    Random random = new Random(7);
    for (int c = 0; c < CASES; c++) {
      Path dir = Files.createDirectories(tmp.resolve("random-" + c));
      byte[] junk = new byte[random.nextInt(8192)];
      random.nextBytes(junk);
      Files.write(dir.resolve(Segment.fileName(1 + random.nextInt(1000))), junk);

      try (DurableLog log =
          DurableLog.open(dir, LogOptions.builder().fsyncPolicy(FsyncPolicy.NEVER).build())) {
        assertThat(readAll(log)).isEmpty();
        long pos = log.append(new byte[] {1, 2, 3}).join();
        assertThat(readAll(log)).containsOnlyKeys(pos);
      }
    }
  }

  @Test
  void mutatedSegmentsNeverThrowAndOnlyYieldRecordsAsWritten() throws IOException {
    Random random = new Random(11);
    for (int c = 0; c < CASES; c++) {
      Path dir = Files.createDirectories(tmp.resolve("mutated-" + c));
      Map<Long, String> written = new HashMap<>();
      // never: the bytes written are the same, without an fsync per append to wait for.
      LogOptions options =
          LogOptions.builder().segmentBytes(2048).fsyncPolicy(FsyncPolicy.NEVER).build();
      try (DurableLog log = DurableLog.open(dir, options)) {
        for (int i = 0; i < 60; i++) {
          String text = "payload-" + i + "-" + "y".repeat(random.nextInt(80));
          written.put(log.append(text.getBytes(StandardCharsets.UTF_8)).join(), text);
        }
      }
      for (Path seg : segments(dir)) {
        mutate(seg, random);
      }

      int caseNo = c;
      try (DurableLog log = DurableLog.open(dir, options)) {
        Map<Long, String> read = readAll(log);
        read.forEach((pos, text) -> assertThat(text)
            .as("record at " + pos + " in case " + caseNo).isEqualTo(written.get(pos)));
        long lastRead = read.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        boolean gap = written.keySet().stream().anyMatch(p -> p < lastRead && !read.containsKey(p));
        if (gap) {
          assertThat(log.stats().corruptions()).as("records lost silently in case " + caseNo)
              .isPositive();
        }
      }
      try (DurableLog again = DurableLog.open(dir, options)) {
        assertThat(again.corruptions()).as("recovery repaired what it cut, once").noneMatch(
            r -> r.action() == CorruptionReport.Action.CUT);
      }
    }
  }

  private static void mutate(Path seg, Random random) throws IOException {
    byte[] b = Files.readAllBytes(seg);
    switch (random.nextInt(4)) {
      case 0 -> { // bit flips
        for (int i = 0, n = 1 + random.nextInt(4); i < n && b.length > 0; i++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
      case 2 -> { // a run of garbage
        if (b.length > 0) {
          int from = random.nextInt(b.length);
          int len = Math.min(b.length - from, 1 + random.nextInt(200));
          byte[] junk = new byte[len];
          random.nextBytes(junk);
          System.arraycopy(junk, 0, b, from, len);
        }
      }
      default -> { // garbage appended, as from a reused disk block
        byte[] junk = new byte[random.nextInt(300)];
        random.nextBytes(junk);
        byte[] longer = java.util.Arrays.copyOf(b, b.length + junk.length);
        System.arraycopy(junk, 0, longer, b.length, junk.length);
        b = longer;
      }
    }
    Files.write(seg, b);
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(Segment.SUFFIX)).sorted().toList();
    }
  }

  private static Map<Long, String> readAll(DurableLog log) throws IOException {
    Map<Long, String> out = new HashMap<>();
    LogReader r = log.reader("fuzz");
    r.rewind();
    List<StoredRecord> batch = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      batch = r.next(100);
      if (batch.isEmpty()) {
        break;
      }
      batch.forEach(s -> out.put(s.position(), new String(s.payload(), StandardCharsets.UTF_8)));
    }
    log.removeReader("fuzz");
    return out;
  }
}
