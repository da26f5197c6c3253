package io.vigil.exporter.featurerows;

import io.vigil.featurerows.FeatureRow;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

/**
 * Writes feature rows as one Parquet file through an in-memory DuckDB: columns
 * {@code service} (VARCHAR), {@code window_start} and {@code window_end} (TIMESTAMP, UTC,
 * microseconds), then one DOUBLE per feature, NULL where the window had no point for it. The
 * file is written under a temporary name beside the target and renamed into place, so a reader
 * never opens half a file.
 */
final class ParquetRowWriter {

  static {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ParquetRowWriter() {}

  static void write(Path target, List<String> names, List<FeatureRow> rows) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      StringBuilder create = new StringBuilder(
          "CREATE TABLE rows (service VARCHAR, window_start_us BIGINT, window_end_us BIGINT");
      StringBuilder insert = new StringBuilder("INSERT INTO rows VALUES (?, ?, ?");
      StringBuilder select = new StringBuilder("SELECT service, make_timestamp(window_start_us)"
          + " AS window_start, make_timestamp(window_end_us) AS window_end");
      for (String n : names) {
        // Names are checked to be [A-Za-z_][A-Za-z0-9_.]*: quoting is all they need.
        create.append(", \"").append(n).append("\" DOUBLE");
        insert.append(", ?");
        select.append(", \"").append(n).append('"');
      }
      try (Statement s = c.createStatement()) {
        s.execute(create.append(')').toString());
      }
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement(insert.append(')').toString())) {
        for (FeatureRow r : rows) {
          p.setString(1, r.service());
          p.setLong(2, Math.floorDiv(r.windowStartNanos(), 1000));
          p.setLong(3, Math.floorDiv(r.windowEndNanos(), 1000));
          for (int i = 0; i < names.size(); i++) {
            double v = r.value(i);
            if (Double.isNaN(v)) {
              p.setNull(4 + i, Types.DOUBLE);
            } else {
              p.setDouble(4 + i, v);
            }
          }
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
      try (Statement s = c.createStatement()) {
        s.execute("COPY (" + select + " FROM rows ORDER BY window_start_us, service) TO '"
            + tmp.toAbsolutePath().toString().replace("'", "''")
            + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
      }
    } catch (SQLException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("cannot write " + target + " through DuckDB: " + e.getMessage(), e);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target);
    }
  }
}
