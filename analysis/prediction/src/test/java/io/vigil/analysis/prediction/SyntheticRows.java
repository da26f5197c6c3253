package io.vigil.analysis.prediction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Feature rows in the featurerows exporter's Parquet layout, written through DuckDB: orders'
 * error ratio and latency creep up in the 4 minutes before each of its faults; payments stays
 * healthy. Faults every 20 minutes, lasting 2.
 */
final class SyntheticRows {

  static final long S = 1_000_000_000L;
  static final long T0 = 1_800_000_000L * S;

  private SyntheticRows() {}

  static List<Instant> faultStarts(int hours) {
    List<Instant> out = new ArrayList<>();
    for (long t = 15 * 60; t < hours * 3600L; t += 20 * 60) {
      out.add(Instant.ofEpochSecond(0, T0 + t * S));
    }
    return out;
  }

  static void writeLabels(Path file, int hours) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Instant s : faultStarts(hours)) {
      sb.append("{\"scenario\":\"synthetic\",\"service\":\"orders\",\"kind\":\"error_rate\","
          + "\"params\":{},\"start\":\"").append(s).append("\",\"end\":\"")
          .append(s.plusSeconds(120)).append("\"}\n");
    }
    Files.writeString(file, sb.toString());
  }

  static void writeParquet(Path file, int hours, long seed) throws Exception {
    Random r = new Random(seed);
    List<Instant> faults = faultStarts(hours);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (service VARCHAR, window_start TIMESTAMP, window_end TIMESTAMP,"
          + " request_rate DOUBLE, error_ratio DOUBLE, latency_p95 DOUBLE)");
      StringBuilder values = new StringBuilder();
      for (long w = 0; w < hours * 120L; w++) {
        long start = T0 + w * 30 * S;
        for (String svc : List.of("orders", "payments")) {
          double ahead = Double.MAX_VALUE;
          for (Instant f : faults) {
            long fs = f.getEpochSecond() * S;
            if (fs >= start + 30 * S) {
              ahead = Math.min(ahead, (fs - start - 30 * S) / 1e9);
            }
          }
          boolean creeping = svc.equals("orders") && ahead <= 240;
          double err = creeping ? 0.05 + 0.1 * r.nextDouble() : 0.01 * r.nextDouble();
          double p95 = creeping ? 300 + 100 * r.nextDouble() : 40 + 20 * r.nextDouble();
          values.append(values.length() > 0 ? ", " : "").append(String.format(
              java.util.Locale.ROOT, "('%s', make_timestamp(%d), make_timestamp(%d), %f, %f, %s)",
              svc, start / 1000, (start + 30 * S) / 1000, 10 + r.nextDouble(), err,
              r.nextInt(20) == 0 ? "NULL" : Double.toString(p95)));
        }
      }
      s.execute("INSERT INTO t VALUES " + values);
      s.execute("COPY t TO '" + file.toAbsolutePath() + "' (FORMAT PARQUET)");
    }
  }
}
