package io.vigil.exporter.vigilstore;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.testing.TelemetryPayloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The console's lookups on a full store, as a bounded main rather than JMH: the store is filled
 * once (JMH would fill it again in every benchmark's fork). Writes {@code items} spans and
 * {@code items} log records ({@link TelemetryPayloads}, the Java agent's shapes) over the last
 * 50 minutes into a temporary directory, commits, prints the bytes on disk per span and per log
 * record, then times each query {@code QUERIES} times after {@code WARMUP} untimed calls and
 * prints p50 / p99 / max. The directory is deleted at the end.
 *
 * <pre>testbed/jmh exporter/vigilstoreexporter -l   # compiles, writes target/jmh.classpath
 * java -Xmx3g -cp "exporter/vigilstoreexporter/target/test-classes:exporter/vigilstoreexporter/target/classes:$(cat exporter/vigilstoreexporter/target/jmh.classpath)" \
 *   io.vigil.exporter.vigilstore.StoreQueryLatency 1000000</pre>
 */
public final class StoreQueryLatency {

  private static final int BATCH = 512;
  private static final int WARMUP = 100;
  private static final int QUERIES = 1000;
  private static final Pattern USER = Pattern.compile("user ([0-9a-f]{8})");

  private StoreQueryLatency() {}

  public static void main(String[] args) throws IOException {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path directory = Files.createTempDirectory("vigilstore-query");
    try (TelemetryStore store = new TelemetryStore(directory, Duration.ofHours(24), 0,
        Clock.systemUTC())) {
      long now = System.currentTimeMillis() * 1_000_000L;
      long spread = Duration.ofMinutes(50).toNanos();
      int batches = items / BATCH;
      long stored = (long) batches * BATCH;
      TelemetryPayloads p = new TelemetryPayloads(11);
      List<String> traceIds = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        ExportTraceServiceRequest t = p.traces(BATCH, now - spread + spread / batches * b);
        store.addSpans(t);
        traceIds.add(HexFormat.of().formatHex(t.getResourceSpans(0).getScopeSpans(0)
            .getSpans(4 * (b % 128)).getTraceId().toByteArray()));
      }
      store.commit();
      long spanSeconds = System.nanoTime() - t0;
      long spanBytes = size(directory);
      List<String> rareWords = new ArrayList<>();
      t0 = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        ExportLogsServiceRequest l = p.logs(BATCH, now - spread + spread / batches * b);
        store.addLogs(l);
        // The user ID in a body: a word in about one record of the million.
        LogRecord r = l.getResourceLogs(0).getScopeLogs(0).getLogRecords(b % BATCH);
        Matcher user = USER.matcher(r.getBody().getStringValue());
        if (user.find()) {
          rareWords.add(user.group(1));
        }
      }
      store.commit();
      long logSeconds = System.nanoTime() - t0;
      long allBytes = size(directory);
      System.out.printf("stored %,d spans in %.1f s (payload generation included), %,d log"
              + " records in %.1f s%n", stored, spanSeconds / 1e9, stored, logSeconds / 1e9);
      System.out.printf("disk: %,d bytes after the spans = %.1f per span; %,d after the logs"
              + " = %.1f per log record%n", spanBytes, (double) spanBytes / stored, allBytes,
          (double) (allBytes - spanBytes) / stored);

      TelemetryQuery q = store.query();
      long nowMs = System.currentTimeMillis();
      TimeRange lastHour = new TimeRange((nowMs - 3_600_000L) * 1_000_000L,
          (nowMs + 60_000L) * 1_000_000L);
      time("trace by ID (4 spans)", i -> {
        TraceView v = q.trace(traceIds.get(i % traceIds.size())).orElseThrow();
        return v.spans().size();
      });
      time("log search, 2 common words (newest 100 of ~25%)", i ->
          q.logs(LogSearch.in(lastHour, 100).text("payment authorised")).size());
      time("log search, 1 rare word (~1 match)", i ->
          q.logs(LogSearch.in(lastHour, 100).text(rareWords.get(i % rareWords.size()))).size());
      time("log search, service + severity>=warn (newest 100)", i ->
          q.logs(LogSearch.in(lastHour, 100).service("checkoutservice").minSeverity(13)).size());
    } finally {
      try (Stream<Path> s = Files.walk(directory)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  /** Runs the query WARMUP times untimed, then QUERIES times timed; prints the percentiles. */
  private static void time(String what, IntFunction<Integer> query) {
    long found = 0;
    for (int i = 0; i < WARMUP; i++) {
      found += query.apply(i);
    }
    long[] nanos = new long[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
      long start = System.nanoTime();
      found += query.apply(WARMUP + i);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf("%-52s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%d calls, %d results)%n",
        what, nanos[QUERIES / 2] / 1e6, nanos[QUERIES * 99 / 100] / 1e6,
        nanos[QUERIES - 1] / 1e6, QUERIES, found);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
