package io.vigil.eval.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.eval.faults.FaultIncidentScorer;
import io.vigil.eval.faults.FaultLabel;
import io.vigil.eval.faults.IncidentRow;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ab}: issue #22's A/B on one labelled demo run, in shadow mode on the same telemetry:
 * (A) static threshold rules evaluated by a real Prometheus that scraped the run
 * ({@code deploy/prometheus/threshold-rules.yml}), (B) Vigil's incidents from the same run.
 * Per fault: detected on its service or not, time to detect; per arm: precision, recall, alerts
 * and false alerts per hour.
 */
@Command(name = "ab", mixinStandardHelpOptions = true,
    description = "A/B of a demo run: Prometheus threshold alerts vs Vigil's incidents")
public final class ThresholdABEvaluation implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STEP = Duration.ofSeconds(5);

  @Option(names = "--faults", required = true, description = "the run's faults.jsonl")
  Path faults;

  @Option(names = "--incidents", required = true, description = "Vigil's incident rows (as"
      + " incidents-vs-faults --save-rows writes them)")
  Path incidents;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ThresholdSource thresholds;

  static final class ThresholdSource {
    @Option(names = "--prometheus", description = "base URL of the Prometheus that scraped the"
        + " run with the threshold rules loaded; needs --from and --to")
    String prometheus;

    @Option(names = "--threshold-alerts", description = "a saved answer (--save-alerts)")
    Path saved;
  }

  @Option(names = "--from", description = "start of the run (an instant)")
  Instant from;

  @Option(names = "--to", description = "end of the run (an instant)")
  Instant to;

  @Option(names = "--save-alerts", description = "write Prometheus' answer and the run's"
      + " window to this JSON file")
  Path saveAlerts;

  @Override
  public Integer call() throws Exception {
    JsonNode answer;
    if (thresholds.prometheus != null) {
      if (from == null || to == null) {
        throw new IllegalArgumentException("--prometheus needs --from and --to");
      }
      answer = PrometheusAlerts.fetch(thresholds.prometheus, from, to, STEP);
      if (saveAlerts != null) {
        ObjectNode saved = JSON.createObjectNode().put("from", from.toString())
            .put("to", to.toString());
        saved.set("query_range", answer);
        Files.writeString(saveAlerts, JSON.writerWithDefaultPrettyPrinter()
            .writeValueAsString(saved) + "\n");
      }
    } else {
      JsonNode saved = JSON.readTree(thresholds.saved.toFile());
      from = from != null ? from : Instant.parse(saved.path("from").asText());
      to = to != null ? to : Instant.parse(saved.path("to").asText());
      answer = saved.path("query_range");
    }
    Result r = evaluate(FaultLabel.read(faults), PrometheusAlerts.episodes(answer, STEP,
        "exported_job"), IncidentRow.read(incidents), from, to);
    print(r, System.out);
    return 0;
  }

  /** Both arms' scores. */
  public record Result(ABScorer.Score thresholds, ABScorer.Score vigil) {

    /** Faults both arms detected on their service. */
    public int bothDetected() {
      int n = 0;
      for (int f = 0; f < thresholds.detections().size(); f++) {
        if (thresholds.detections().get(f).first() != null
            && vigil.detections().get(f).first() != null) {
          n++;
        }
      }
      return n;
    }

    /**
     * Each arm's mean time to detect over the faults both detected (the fair comparison when
     * one arm detects faults the other misses), or null when there are none.
     */
    public Duration[] meanTimeToDetectOnFaultsBothDetected() {
      Duration a = Duration.ZERO;
      Duration b = Duration.ZERO;
      int n = bothDetected();
      if (n == 0) {
        return null;
      }
      for (int f = 0; f < thresholds.detections().size(); f++) {
        var x = thresholds.detections().get(f).timeToDetect();
        var y = vigil.detections().get(f).timeToDetect();
        if (x.isPresent() && y.isPresent()) {
          a = a.plus(x.get());
          b = b.plus(y.get());
        }
      }
      return new Duration[] {a.dividedBy(n), b.dividedBy(n)};
    }
  }

  public static Result evaluate(List<FaultLabel> faults, List<AlertEpisode> thresholdAlerts,
      List<IncidentRow> incidents, Instant from, Instant to) {
    ABScorer scorer = new ABScorer(FaultIncidentScorer.DEFAULT_LEAD,
        FaultIncidentScorer.DEFAULT_TAIL);
    List<AlertEpisode> pages = incidents.stream().map(i -> {
      if (i.opened() == null) {
        throw new IllegalArgumentException("incident " + i.id() + " has no opened time: rows"
            + " saved before it was kept cannot be scored for time to detect");
      }
      return new AlertEpisode(i.id(), i.origin(), i.opened());
    }).toList();
    return new Result(scorer.score(faults, thresholdAlerts, from, to),
        scorer.score(faults, pages, from, to));
  }

  static void print(Result r, PrintStream out) {
    out.println("| fault | service | threshold rules: first alert, time to detect |"
        + " Vigil: first incident, time to detect |");
    out.println("|---|---|---|---|");
    for (int f = 0; f < r.thresholds().detections().size(); f++) {
      ABScorer.Detection a = r.thresholds().detections().get(f);
      ABScorer.Detection b = r.vigil().detections().get(f);
      out.printf("| %s | %s | %s | %s |%n", a.fault().kind(), a.fault().service(), cell(a),
          cell(b));
    }
    out.println();
    out.println("| arm | faults detected on their service | mean time to detect | precision |"
        + " alerts | right / elsewhere during a fault / false | alerts per hour |"
        + " false alerts per hour |");
    out.println("|---|---|---|---|---|---|---|---|");
    row(out, "A: threshold rules", r.thresholds());
    row(out, "B: Vigil incidents", r.vigil());
    Duration[] both = r.meanTimeToDetectOnFaultsBothDetected();
    out.printf("%nOn the %s faults both arms detected: mean time to detect A %s, B %s%n",
        both == null ? "0" : String.valueOf(r.bothDetected()),
        both == null ? "—" : both[0].toSeconds() + " s",
        both == null ? "—" : both[1].toSeconds() + " s");
  }

  private static void row(PrintStream out, String arm, ABScorer.Score s) {
    Duration mttd = s.meanTimeToDetect();
    out.printf("| %s | %d of %d | %s | %.2f | %d | %d / %d / %d | %.1f | %.1f |%n", arm,
        s.detected(), s.detections().size(), mttd == null ? "—" : mttd.toSeconds() + " s",
        s.precision(), s.alerts(), s.right(), s.elsewhere(), s.falseAlerts(), s.alertsPerHour(),
        s.falseAlertsPerHour());
  }

  private static String cell(ABScorer.Detection d) {
    return d.first() == null ? "—" : d.first().rule() + ", "
        + d.warnedAhead().map(w -> w.toSeconds() + " s before it failed")
            .orElse(d.timeToDetect().orElseThrow().toSeconds() + " s");
  }
}
