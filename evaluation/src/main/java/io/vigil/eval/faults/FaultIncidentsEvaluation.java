package io.vigil.eval.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import io.vigil.exporter.incidents.OpeningConfig;
import io.vigil.exporter.incidents.internal.AnomalyJournal;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code incidents-vs-faults}: scores the incidents a demo run left against its
 * {@code faults.jsonl}. Run it after the demo stopped (the H2 store is locked while the gateway
 * runs): {@code --work-dir} is the demo's {@code --work-dir}.
 */
@Command(name = "incidents-vs-faults", mixinStandardHelpOptions = true,
    description = "Score a demo run's incidents against its injected faults (faults.jsonl)")
public final class FaultIncidentsEvaluation implements Callable<Integer> {

  @Option(names = "--work-dir", description = "the demo run's work dir: faults.jsonl,"
      + " incidents/ (the store) and logs/gateway.log (ALERT lines) are read from it")
  Path workDir;

  @Option(names = "--faults", description = "faults.jsonl (default: <work-dir>/faults.jsonl)")
  Path faults;

  @Option(names = "--incidents", description = "incident rows as JSON (as --save-rows writes"
      + " them), instead of the store in <work-dir>/incidents")
  Path rows;

  @Option(names = "--save-rows", description = "write the incident rows read to this JSON file")
  Path saveRows;

  @Option(names = "--save-anomalies", description = "write the run's anomaly records (its"
      + " incidents/anomalies.jsonl, else every piece of evidence in its store) to this file")
  Path saveAnomalies;

  @Option(names = "--replay", description = "anomaly records (anomalies_file format) to replay"
      + " through a tracker with the default opening policy, scoring its incidents instead")
  Path replay;

  @Option(names = "--group-window", description = "group_window of the replay (default 1m,"
      + " the demo's)")
  Duration groupWindow = Duration.ofMinutes(1);

  @Option(names = "--tail", description = "after a fault's end, still its incidents (default 60s)")
  Duration tail = FaultIncidentScorer.DEFAULT_TAIL;

  @Option(names = "--lead", description = "before a fault's start, still its incidents (default 15s)")
  Duration lead = FaultIncidentScorer.DEFAULT_LEAD;

  @Override
  public Integer call() throws IOException {
    Path faultsFile = faults != null ? faults : workDir.resolve("faults.jsonl");
    if (saveAnomalies != null) {
      Path journal = workDir.resolve("incidents/anomalies.jsonl");
      AnomalyJournal.writeAll(Files.isRegularFile(journal) ? AnomalyJournal.read(journal)
          : AnomalyReplay.fromStore(workDir.resolve("incidents")), saveAnomalies);
    }
    List<IncidentRow> incidents;
    if (replay != null) {
      Path dir = Files.createTempDirectory("vigil-replay");
      AnomalyReplay.Replayed r = AnomalyReplay.replay(AnomalyJournal.read(replay), groupWindow,
          new OpeningConfig(), dir);
      System.out.printf("replayed %d anomaly records: %d held, %d of them released into"
          + " incidents, %d not opened%n", r.records(), r.held(), r.released(), r.expired());
      incidents = r.incidents();
    } else {
      incidents = rows != null ? IncidentRow.read(rows)
          : IncidentRow.fromStore(workDir.resolve("incidents"));
    }
    if (saveRows != null) {
      IncidentRow.write(incidents, saveRows);
    }
    int alerts = workDir == null ? -1 : countAlerts(workDir.resolve("logs/gateway.log"));
    FaultIncidentScorer.Score s = new FaultIncidentScorer(lead, tail)
        .score(FaultLabel.read(faultsFile), incidents, alerts);
    print(s, System.out);
    return 0;
  }

  /** ALERT lines of the alerts exporter (de-duplicated per key for repeat_interval). */
  static int countAlerts(Path gatewayLog) throws IOException {
    if (!Files.isRegularFile(gatewayLog)) {
      return -1;
    }
    try (var lines = Files.lines(gatewayLog)) {
      return (int) lines.filter(l -> l.contains(" ALERT ")).count();
    }
  }

  static void print(FaultIncidentScorer.Score s, PrintStream out) {
    out.println("| fault | service | incidents on it | incidents elsewhere during it |");
    out.println("|---|---|---|---|");
    for (var f : s.faults()) {
      out.printf("| %s %s–%s | %s | %s | %s |%n", f.fault().kind(),
          f.fault().start().toString().substring(11, 19),
          f.fault().end().toString().substring(11, 19), f.fault().service(),
          describe(f.onService()), describe(f.elsewhere()));
    }
    out.printf("%nfaults: %d; one incident on the right service: %d; detected on it: %d;"
        + " incidents elsewhere during faults: %d; noise incidents (no fault): %d%n",
        s.faults().size(), s.exactlyOne(), s.detected(), s.elsewhere(), s.noise().size());
    out.printf("incidents: %d, grouping %d anomaly records%s%n", s.incidents(),
        s.rawAnomalies(), s.alerts() < 0 ? "" : "; the alerts exporter logged " + s.alerts()
            + " ALERT lines");
    if (!s.noise().isEmpty()) {
      out.println("noise: " + describe(s.noise()));
    }
  }

  private static String describe(List<IncidentRow> rows) {
    return rows.isEmpty() ? "—" : rows.stream().map(r -> r.id() + " (" + r.origin() + ", "
        + r.anomalies() + " anomalies: " + shorten(r.title()) + ")")
        .collect(Collectors.joining("; "));
  }

  private static String shorten(String s) {
    String t = s.replace('|', '/').replace('\n', ' ');
    return t.length() <= 60 ? t : t.substring(0, 59) + "…";
  }
}
