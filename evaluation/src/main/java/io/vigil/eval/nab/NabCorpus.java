package io.vigil.eval.nab;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shared NAB series, their labelled anomaly windows and the scoring profiles, read from
 * {@code ../shared/data/nab}. Files are keyed by their path under {@code data/}, e.g.
 * {@code realKnownCause/nyc_taxi.csv}, as NAB's label files key them.
 */
public final class NabCorpus {

  /** One series: its time stamps and values, in file order. */
  public record Series(String key, List<LocalDateTime> timestamps, double[] values) {}

  /** A labelled window, both ends included. */
  public record Window(LocalDateTime start, LocalDateTime end) {}

  /** The weights of one scoring profile. */
  public record Profile(String name, double tpWeight, double fpWeight, double fnWeight) {}

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private final Path root;
  private final Map<String, List<Window>> windows;
  private final List<Profile> profiles;

  private NabCorpus(NabCorpus all, Map<String, List<Window>> windows) {
    this.root = all.root;
    this.windows = windows;
    this.profiles = all.profiles;
  }

  public NabCorpus(Path root) {
    this.root = root;
    try {
      Map<String, List<List<String>>> raw = JSON.readValue(
          root.resolve("combined_windows.json").toFile(), new TypeReference<>() {});
      Map<String, List<Window>> w = new TreeMap<>();
      raw.forEach((file, list) -> {
        List<Window> ws = new ArrayList<>();
        for (List<String> pair : list) {
          ws.add(new Window(parse(pair.get(0)), parse(pair.get(1))));
        }
        w.put(file, List.copyOf(ws));
      });
      this.windows = w;
      JsonNode p = JSON.readTree(root.resolve("profiles.json").toFile());
      List<Profile> ps = new ArrayList<>();
      for (String name : List.of("standard", "reward_low_FP_rate", "reward_low_FN_rate")) {
        JsonNode m = p.path(name).path("CostMatrix");
        if (m.isMissingNode()) {
          throw new IllegalArgumentException(root.resolve("profiles.json") + " lacks " + name);
        }
        ps.add(new Profile(name, m.path("tpWeight").asDouble(), m.path("fpWeight").asDouble(),
            m.path("fnWeight").asDouble()));
      }
      this.profiles = List.copyOf(ps);
    } catch (IOException e) {
      throw new UncheckedIOException(root + ": " + e.getMessage(), e);
    }
  }

  static LocalDateTime parse(String stamp) {
    return LocalDateTime.parse(stamp.trim(), STAMP);
  }

  /** The series keys, sorted. */
  public List<String> keys() {
    return List.copyOf(windows.keySet());
  }

  /** The same corpus restricted to {@code keys} (e.g. one fold), which must all be in it. */
  public NabCorpus only(Collection<String> keys) {
    Map<String, List<Window>> w = new TreeMap<>();
    for (String key : keys) {
      if (!windows.containsKey(key)) {
        throw new IllegalArgumentException("no series " + key);
      }
      w.put(key, windows.get(key));
    }
    return new NabCorpus(this, w);
  }

  public List<Window> windows(String key) {
    return windows.get(key);
  }

  public List<Profile> profiles() {
    return profiles;
  }

  public Series series(String key) {
    Path file = root.resolve("data").resolve(key);
    List<LocalDateTime> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    readCsv(file, (stamp, value) -> {
      ts.add(parse(stamp));
      vs.add(Double.parseDouble(value));
    });
    return new Series(key, List.copyOf(ts), vs.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * A detector's published scores for every series, from a folder laid out as NAB's results
   * ({@code <category>/<detector>_<file>.csv} with {@code timestamp,anomaly_score}).
   */
  public Map<String, double[]> detectorScores(Path detectorDir, String detector) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String key : keys()) {
      int slash = key.indexOf('/');
      Path file = detectorDir.resolve(key.substring(0, slash))
          .resolve(detector + "_" + key.substring(slash + 1));
      List<Double> scores = new ArrayList<>();
      readCsv(file, (stamp, score) -> scores.add(Double.parseDouble(score)));
      out.put(key, scores.stream().mapToDouble(Double::doubleValue).toArray());
    }
    return out;
  }

  private interface Row {
    void accept(String first, String second);
  }

  private static void readCsv(Path file, Row row) {
    try (MappingIterator<String[]> rows = CSV.readerForArrayOf(String.class)
        .with(CsvParser.Feature.WRAP_AS_ARRAY).with(CsvParser.Feature.SKIP_EMPTY_LINES)
        .readValues(file.toFile())) {
      int line = 0;
      while (rows.hasNext()) {
        String[] cols = rows.next();
        line++;
        if (line == 1) {
          continue;
        }
        if (cols.length < 2) {
          throw new IllegalArgumentException(file + ":" + line + ": expected two columns");
        }
        row.accept(cols[0], cols[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }
}
