package io.vigil.eval.faults;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.internal.H2IncidentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What scoring needs of one incident: where it says the fault is (origin), where it saw
 * anomalies, when its first anomaly began ({@code Incident.started()}: held signals filed with it
 * do not count), how many anomaly records it groups, and when the gateway opened it (the
 * page; null in rows saved before it was kept).
 */
public record IncidentRow(String id, String origin, List<String> services, Instant firstAnomaly,
    int anomalies, String title, Instant opened) {

  /** A row without the gateway's opening time (rows saved before it was kept). */
  public IncidentRow(String id, String origin, List<String> services, Instant firstAnomaly,
      int anomalies, String title) {
    this(id, origin, services, firstAnomaly, anomalies, title, null);
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  static IncidentRow of(Incident i) {
    return new IncidentRow(i.id(), i.origin(), i.services(), i.started(), i.evidence().size(),
        i.title(), i.opened());
  }

  /** Every incident in the H2 store a demo run left (the gateway must have stopped). */
  public static List<IncidentRow> fromStore(Path directory) {
    try (H2IncidentStore store = H2IncidentStore.open(directory)) {
      return store.list(IncidentQuery.all(Integer.MAX_VALUE)).stream().map(IncidentRow::of)
          .sorted(Comparator.comparing(IncidentRow::firstAnomaly)).toList();
    }
  }

  public static List<IncidentRow> read(Path json) throws IOException {
    return JSON.readValue(json.toFile(), new TypeReference<List<IncidentRow>>() {});
  }

  public static void write(List<IncidentRow> rows, Path json) throws IOException {
    java.nio.file.Files.writeString(json, JSON.writeValueAsString(rows) + "\n");
  }
}
