package io.vigil.extension.filestorage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurableLogTest {

  @TempDir Path dir;

  private static final int PAYLOAD = 100;
  private static final int RECORD = RecordFormat.HEADER_BYTES + PAYLOAD;

  private static byte[] payload(int n) {
    byte[] b = new byte[PAYLOAD];
    byte[] text = ("record-" + n).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(text, 0, b, 0, text.length);
    return b;
  }

  private static int numberOf(StoredRecord r) {
    String s = new String(r.payload(), StandardCharsets.UTF_8).trim();
    return Integer.parseInt(s.substring("record-".length(), s.indexOf('\0') < 0 ? s.length()
        : s.indexOf('\0')));
  }

  private DurableLog open(LogOptions.Builder b) throws IOException {
    return DurableLog.open(dir, b.build());
  }

  private DurableLog open() throws IOException {
    return open(LogOptions.builder());
  }

  private static void appendAll(DurableLog log, int from, int to) {
    List<CompletableFuture<Long>> fs = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      fs.add(log.append(payload(i)));
    }
    fs.forEach(CompletableFuture::join);
  }

  /** Reads until the reader has caught up; bounded by what the log holds. */
  private static List<StoredRecord> drain(LogReader r) throws IOException {
    List<StoredRecord> all = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      List<StoredRecord> batch = r.next(100);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
    throw new AssertionError("reader never caught up");
  }

  private static List<Integer> numbers(List<StoredRecord> rs) {
    return rs.stream().map(DurableLogTest::numberOf).collect(Collectors.toList());
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void appendedRecordsAreReadInOrderWithTheirPositions() throws IOException {
    try (DurableLog log = open()) {
      long first = log.append(payload(1)).join();
      long second = log.append(payload(2)).join();
      LogReader r = log.reader("sender");

      List<StoredRecord> read = r.next(10);

      assertThat(first).isEqualTo(1);
      assertThat(second).isEqualTo(2);
      assertThat(read).extracting(StoredRecord::position).containsExactly(1L, 2L);
      assertThat(numbers(read)).containsExactly(1, 2);
      assertThat(r.next(10)).isEmpty();
      r.commit(2);
      assertThat(r.committed()).isEqualTo(2);
      assertThat(r.lag()).isZero();
      assertThatThrownBy(() -> r.commit(3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has read only up to 2");
    }
  }

  @Test
  void restartKeepsUncommittedRecordsAndForgetsCommittedOnes() throws IOException {
    try (DurableLog log = open()) {
      appendAll(log, 1, 10);
      LogReader r = log.reader("sender");
      r.next(4);
      r.commit(4);
      r.next(3); // read but not committed: must come back after the restart
    }
    try (DurableLog log = open()) {
      LogReader r = log.reader("sender");
      assertThat(numbers(drain(r))).isEqualTo(range(5, 10));
      assertThat(log.append(payload(11)).join()).as("positions continue").isEqualTo(11);
    }
  }

  @Test
  void rewindDeliversUncommittedRecordsAgain() throws IOException {
    try (DurableLog log = open()) {
      appendAll(log, 1, 5);
      LogReader r = log.reader("sender");
      r.next(3);
      r.commit(1);
      r.rewind();
      assertThat(numbers(drain(r))).isEqualTo(range(2, 5));
    }
  }

  @Test
  void segmentIsDeletedOnlyAfterEveryReaderCommittedPastIt() throws IOException {
    // 5 records per segment.
    LogOptions.Builder options = LogOptions.builder().segmentBytes(5 * RECORD);
    try (DurableLog log = open(options)) {
      LogReader a = log.reader("a");
      LogReader b = log.reader("b");
      appendAll(log, 1, 12);
      assertThat(log.segmentCount()).isEqualTo(3);

      a.next(100);
      a.commit(12);
      assertThat(log.segmentCount()).as("b has not read anything").isEqualTo(3);

      b.next(7);
      b.commit(7);
      assertThat(log.segmentCount()).as("only the first segment is behind both").isEqualTo(2);
      assertThat(log.stats().segmentsDeleted()).isEqualTo(1);
      assertThat(segmentFiles()).extracting(p -> p.getFileName().toString())
          .containsExactly("00000000000000000006.seg", "00000000000000000011.seg");

      b.next(100);
      b.commit(12);
      assertThat(log.segmentCount()).as("the active segment stays").isEqualTo(1);
    }
    try (DurableLog log = open(options)) {
      assertThat(drain(log.reader("b"))).isEmpty();
      assertThat(log.append(payload(13)).join())
          .as("positions never go back, even when every record was deleted").isEqualTo(13);
    }
  }

  @Test
  void tornTailIsCutAtTheLastIntactRecordAndReported() throws IOException {
    try (DurableLog log = open()) {
      appendAll(log, 1, 10);
    }
    Path seg = segmentFiles().get(0);
    // A crash in the middle of writing record 10: half of it reached the file.
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(9L * RECORD + 50);
    }

    try (DurableLog log = open()) {
      assertThat(numbers(drain(log.reader("sender")))).isEqualTo(range(1, 9));
      assertThat(log.corruptions()).singleElement().satisfies(c -> {
        assertThat(c.file()).isEqualTo(seg);
        assertThat(c.offset()).isEqualTo(9L * RECORD);
        assertThat(c.bytes()).isEqualTo(50);
        assertThat(c.action()).isEqualTo(CorruptionReport.Action.CUT);
      });
      assertThat(log.stats().cutBytes()).isEqualTo(50);
      assertThat(Files.size(seg)).isEqualTo(9L * RECORD);
      assertThat(log.append(payload(10)).join()).isEqualTo(10);
    }
  }

  /** Offsets inside record 5: magic, length, sequence number, CRC, payload. */
  @ParameterizedTest
  @ValueSource(ints = {0, 5, 10, 17, 20 + 42})
  void flippedBitInARecordSkipsOnlyThatRecordAndReportsIt(int offsetInRecord) throws IOException {
    try (DurableLog log = open()) {
      appendAll(log, 1, 10);
    }
    Path seg = segmentFiles().get(0);
    long at = 4L * RECORD + offsetInRecord;
    flip(seg, at);

    try (DurableLog log = open()) {
      List<Integer> read = numbers(drain(log.reader("sender")));
      assertThat(read).containsExactly(1, 2, 3, 4, 6, 7, 8, 9, 10);
      assertThat(log.corruptions()).singleElement().satisfies(c -> {
        assertThat(c.offset()).isEqualTo(4L * RECORD);
        assertThat(c.bytes()).isEqualTo(RECORD);
        assertThat(c.lostRecords()).isEqualTo(1);
        assertThat(c.action()).isEqualTo(CorruptionReport.Action.SKIPPED);
      });
      assertThat(log.stats().lostRecords()).isEqualTo(1);
      assertThat(log.stats().skippedBytes()).isEqualTo(RECORD);
    }
  }

  @Test
  void damageWithNoValidRecordAfterItIsCutKeepingEverythingBefore() throws IOException {
    try (DurableLog log = open(LogOptions.builder().segmentBytes(5 * RECORD))) {
      appendAll(log, 1, 8);
    }
    Path first = segmentFiles().get(0);
    flip(first, 4L * RECORD + 30); // record 5, the last of the first segment

    try (DurableLog log = open(LogOptions.builder().segmentBytes(5 * RECORD))) {
      assertThat(numbers(drain(log.reader("sender")))).containsExactly(1, 2, 3, 4, 6, 7, 8);
      assertThat(log.corruptions()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(CorruptionReport.Action.CUT);
        assertThat(c.lostRecords()).as("the next segment starts at 6").isEqualTo(1);
      });
    }
  }

  @Test
  void segmentCutShortAtARecordBoundaryIsReportedAsMissingRecords() throws IOException {
    LogOptions.Builder options = LogOptions.builder().segmentBytes(5 * RECORD);
    try (DurableLog log = open(options)) {
      appendAll(log, 1, 8);
    }
    try (FileChannel ch = FileChannel.open(segmentFiles().get(0), StandardOpenOption.WRITE)) {
      ch.truncate(3L * RECORD); // records 4 and 5 gone without a trace inside the file
    }

    try (DurableLog log = open(options)) {
      assertThat(numbers(drain(log.reader("sender")))).containsExactly(1, 2, 3, 6, 7, 8);
      assertThat(log.corruptions()).singleElement().satisfies(c -> {
        assertThat(c.action()).isEqualTo(CorruptionReport.Action.MISSING);
        assertThat(c.lostRecords()).isEqualTo(2);
      });
    }
  }

  @Test
  void fullBudgetFailsFastWithoutTouchingDataAndRecoversAfterACommit() throws IOException {
    // 5 records per segment, room for 10 records in all.
    DiskBudget budget = new DiskBudget(10L * RECORD + RECORD / 2);
    LogOptions.Builder options =
        LogOptions.builder().segmentBytes(5 * RECORD).budget(budget);
    try (DurableLog log = open(options)) {
      LogReader r = log.reader("sender");
      appendAll(log, 1, 10);

      CompletableFuture<Long> refused = log.append(payload(11));

      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(DiskBudgetExceededException.class,
              e -> assertThat(e.isRetryable()).isTrue())
          .hasMessageContaining("max_disk_bytes");
      assertThat(log.stats().budgetRejections()).isEqualTo(1);

      List<StoredRecord> firstFive = r.next(5);
      r.commit(firstFive.get(4).position());
      assertThat(log.stats().segmentsDeleted()).isEqualTo(1);

      assertThat(log.append(payload(11)).join()).isEqualTo(11);
      assertThat(numbers(drain(r))).isEqualTo(range(6, 11));
    }
    try (DurableLog log = open(LogOptions.builder().segmentBytes(5 * RECORD))) {
      log.reader("sender").rewind();
      assertThat(numbers(drain(log.reader("sender")))).isEqualTo(range(6, 11));
    }
  }

  @Test
  void appendsArrivingDuringAnFsyncShareTheNextOne() throws Exception {
    CountDownLatch inFirstFsync = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    LogOptions.Builder options = LogOptions.builder().fsyncHook(() -> {
      if (first.getAndSet(false)) {
        inFirstFsync.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    int appenders = 8;
    int perAppender = 25;
    ExecutorService pool = Executors.newFixedThreadPool(appenders);
    try (DurableLog log = open(options)) {
      CompletableFuture<Long> firstAppend = log.append(payload(0));
      assertThat(inFirstFsync.await(30, TimeUnit.SECONDS)).isTrue();

      List<java.util.concurrent.Future<List<CompletableFuture<Long>>>> submitted = new ArrayList<>();
      for (int t = 0; t < appenders; t++) {
        int base = 1 + t * perAppender;
        submitted.add(pool.submit(() -> {
          List<CompletableFuture<Long>> fs = new ArrayList<>();
          for (int i = 0; i < perAppender; i++) {
            fs.add(log.append(payload(base + i)));
          }
          return fs;
        }));
      }
      List<CompletableFuture<Long>> all = new ArrayList<>();
      for (var s : submitted) {
        all.addAll(s.get(30, TimeUnit.SECONDS)); // every append is queued behind the fsync
      }
      assertThat(all).noneMatch(CompletableFuture::isDone);
      release.countDown();

      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      firstAppend.get(30, TimeUnit.SECONDS);
      int appends = appenders * perAppender + 1;
      assertThat(all.stream().map(CompletableFuture::join).distinct()).hasSize(appends - 1);
      assertThat(log.stats().appendedRecords()).isEqualTo(appends);
      assertThat(log.stats().fsyncs())
          .as("one fsync for the first append, then the queued ones grouped")
          .isBetween(2L, 3L);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void recordLargerThanASegmentIsRefusedAsABadArgument() throws IOException {
    try (DurableLog log = open(LogOptions.builder().segmentBytes(4096))) {
      assertThatThrownBy(() -> log.append(new byte[5000]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("segment_bytes 4096");
    }
  }

  @Test
  void readerNamesAreCheckedAndRememberedAcrossRestarts() throws IOException {
    try (DurableLog log = open()) {
      assertThatThrownBy(() -> log.reader("../escape"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reader name \"../escape\"");
      log.reader("a");
      log.reader("b");
      log.removeReader("b");
    }
    try (DurableLog log = open()) {
      assertThat(log.readerNames()).containsExactly("a");
    }
  }

  static void flip(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x10));
      b.rewind();
      ch.write(b, at);
    }
  }
}
