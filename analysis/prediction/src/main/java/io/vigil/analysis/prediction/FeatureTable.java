package io.vigil.analysis.prediction;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Feature rows read back from the {@code featurerows} exporter's Parquet files (through
 * DuckDB's reader): the feature columns in file order, and the rows by window start. Files
 * with different feature sets are read by column name; a feature a file lacks is NaN there.
 */
public record FeatureTable(List<String> names, List<Row> rows) {

  /** One service's window; NaN for a NULL (no point for that feature). */
  public record Row(String service, long startNanos, long endNanos, double[] values) {}

  private static final Set<String> KEYS = Set.of("service", "window_start", "window_end");

  static {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The {@code .parquet} files of these paths: files as given, directories' files by name. */
  public static List<Path> files(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> in = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.parquet")) {
          for (Path f : ds) {
            if (!f.getFileName().toString().startsWith(".")) {
              in.add(f); // a dot file is a write in progress
            }
          }
        }
        in.sort(null);
        out.addAll(in);
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new IOException(p + " is neither a Parquet file nor a directory");
      }
    }
    return out;
  }

  public static FeatureTable read(List<Path> files) throws IOException {
    return read(files, List.of());
  }

  /**
   * @param columns the feature columns to read, in this order; empty for all of them
   * @throws IOException also when a column asked for is in none of the files, naming it
   */
  public static FeatureTable read(List<Path> files, List<String> columns) throws IOException {
    if (files.isEmpty()) {
      throw new IOException("no Parquet files to read");
    }
    StringBuilder list = new StringBuilder("[");
    for (Path f : files) {
      list.append(list.length() > 1 ? ", " : "").append('\'')
          .append(f.toAbsolutePath().toString().replace("'", "''")).append('\'');
    }
    String from = "read_parquet(" + list + "], union_by_name = true)";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + from)) {
        while (rs.next()) {
          String col = rs.getString("column_name");
          if (!KEYS.contains(col) && !col.equals("filename")) {
            names.add(col);
          }
        }
      }
      if (!columns.isEmpty()) {
        for (String wanted : columns) {
          if (!names.contains(wanted)) {
            throw new IOException("no feature column \"" + wanted + "\" in " + files
                + "; the files have " + names);
          }
        }
        names = new ArrayList<>(columns);
      }
      StringBuilder select = new StringBuilder("SELECT service, epoch_ns(window_start) AS s,"
          + " epoch_ns(window_end) AS e");
      for (String n : names) {
        select.append(", CAST(\"").append(n.replace("\"", "\"\"")).append("\" AS DOUBLE)");
      }
      select.append(" FROM ").append(from).append(" ORDER BY window_start, service");
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(select.toString())) {
        while (rs.next()) {
          double[] v = new double[names.size()];
          for (int i = 0; i < v.length; i++) {
            double x = rs.getDouble(4 + i);
            v[i] = rs.wasNull() ? Double.NaN : x;
          }
          rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getLong(3), v));
        }
      }
      return new FeatureTable(List.copyOf(names), rows);
    } catch (SQLException e) {
      throw new IOException("cannot read feature rows from " + files + " (columns service,"
          + " window_start, window_end and features expected, as the featurerows exporter"
          + " writes them): " + e.getMessage(), e);
    }
  }
}
