package io.vigil.eval.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a run's incidents against its injected faults. An incident belongs to the first fault
 * whose window, widened by {@code lead} before (a detector's window starts before the fault's
 * first effect is seen) and {@code tail} after (detection lags; a fault's last errors are logged
 * after it is switched off), holds its first anomaly. Of a fault's incidents, those whose
 * {@code origin} is the faulted service are "on the right service"; the others are what the
 * fault caused elsewhere and grouping did not fold in. Incidents of no fault are noise.
 *
 * <p>The goal the issue sets: each fault exactly one incident on the right service, few noise
 * incidents, far fewer incidents than raw anomalies.
 */
public final class FaultIncidentScorer {

  /** Defaults, fixed before the first run was scored. */
  public static final Duration DEFAULT_LEAD = Duration.ofSeconds(15);
  public static final Duration DEFAULT_TAIL = Duration.ofSeconds(60);

  private final Duration lead;
  private final Duration tail;

  public FaultIncidentScorer(Duration lead, Duration tail) {
    this.lead = lead;
    this.tail = tail;
  }

  /** One fault and the incidents that belong to it. */
  public record FaultResult(FaultLabel fault, List<IncidentRow> onService,
      List<IncidentRow> elsewhere) {

    /** What the issue asks of every fault. */
    public boolean exactlyOneOnService() {
      return onService.size() == 1;
    }
  }

  /**
   * @param rawAnomalies anomaly records the incidents group (the sum of their evidence)
   * @param alerts alert lines the alerts exporter logged in the same run, or -1 if not counted
   */
  public record Score(List<FaultResult> faults, List<IncidentRow> noise, int incidents,
      int rawAnomalies, int alerts) {

    public long detected() {
      return faults.stream().filter(f -> !f.onService().isEmpty()).count();
    }

    public long exactlyOne() {
      return faults.stream().filter(FaultResult::exactlyOneOnService).count();
    }

    public int elsewhere() {
      return faults.stream().mapToInt(f -> f.elsewhere().size()).sum();
    }
  }

  public Score score(List<FaultLabel> faults, List<IncidentRow> incidents, int alerts) {
    List<List<IncidentRow>> on = new ArrayList<>();
    List<List<IncidentRow>> off = new ArrayList<>();
    faults.forEach(f -> {
      on.add(new ArrayList<>());
      off.add(new ArrayList<>());
    });
    List<IncidentRow> noise = new ArrayList<>();
    int raw = 0;
    for (IncidentRow i : incidents) {
      raw += i.anomalies();
      int owner = -1;
      for (int f = 0; f < faults.size() && owner < 0; f++) {
        if (within(i.firstAnomaly(), faults.get(f))) {
          owner = f;
        }
      }
      if (owner < 0) {
        noise.add(i);
      } else if (i.origin().equals(faults.get(owner).service())) {
        on.get(owner).add(i);
      } else {
        off.get(owner).add(i);
      }
    }
    List<FaultResult> results = new ArrayList<>();
    for (int f = 0; f < faults.size(); f++) {
      results.add(new FaultResult(faults.get(f), on.get(f), off.get(f)));
    }
    return new Score(results, noise, incidents.size(), raw, alerts);
  }

  private boolean within(Instant t, FaultLabel f) {
    return !t.isBefore(f.start().minus(lead)) && !t.isAfter(f.end().plus(tail));
  }
}
