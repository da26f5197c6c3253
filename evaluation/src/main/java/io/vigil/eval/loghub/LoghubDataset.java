package io.vigil.eval.loghub;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Loghub 2k sample: the {@code Content} of every line with its ground-truth event, from
 * {@code X_2k.log_structured.csv}.
 */
public record LoghubDataset(String system, List<Line> lines) {

  /**
   * One log line: its message, its labelled event, BGL's alert tag ("-" when normal), and where
   * the sample has them its epoch-second time stamp (else -1) and level ("" if none).
   */
  public record Line(String content, String eventId, String label, long epochSeconds,
      String level) {

    public boolean alert() {
      return !label.equals("-");
    }
  }

  /** Every system under the loghub-2k folder, by name. */
  public static List<LoghubDataset> all(Path loghubDir) {
    try (Stream<Path> dirs = Files.list(loghubDir)) {
      return dirs.filter(Files::isDirectory).sorted()
          .map(d -> load(d.getFileName().toString(), d.resolve(d.getFileName() + "_2k.log_structured.csv")))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LoghubDataset load(String system, Path structuredCsv) {
    CsvMapper mapper = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Line> lines = new ArrayList<>();
    try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
        .with(schema).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(structuredCsv.toFile())) {
      while (rows.hasNext()) {
        Map<String, String> row = rows.next();
        String content = row.get("Content");
        String event = row.get("EventId");
        if (content == null || event == null) {
          throw new IllegalArgumentException(structuredCsv + ": row " + (lines.size() + 1)
              + " lacks the Content or EventId column");
        }
        String stamp = row.get("Timestamp");
        long epoch = stamp != null && stamp.matches("\\d{9,11}") ? Long.parseLong(stamp) : -1;
        lines.add(new Line(content, event, row.getOrDefault("Label", "-"), epoch,
            row.getOrDefault("Level", "")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(structuredCsv + ": " + e.getMessage(), e);
    }
    return new LoghubDataset(system, List.copyOf(lines));
  }
}
