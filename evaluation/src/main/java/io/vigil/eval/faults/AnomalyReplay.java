package io.vigil.eval.faults;

import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.OpeningConfig;
import io.vigil.exporter.incidents.internal.AnomalySignal;
import io.vigil.exporter.incidents.internal.H2IncidentStore;
import io.vigil.exporter.incidents.internal.IncidentTracker;
import io.vigil.exporter.incidents.internal.NoCauseClassifier;
import io.vigil.exporter.incidents.internal.NoRecommender;
import io.vigil.exporter.incidents.internal.OpeningPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

/**
 * Replays a run's anomaly records (as {@code anomalies_file} journals them, or as exported from
 * an incident store) through a tracker with a given grouping and opening policy, in the order
 * the gateway received them, with the clock at each record's arrival; after the last record the
 * clock moves on past the hold, as if the gateway kept running, so held signals expire.
 */
public final class AnomalyReplay {

  private AnomalyReplay() {}

  /** What the replay made: the incident rows, and what became of the records. */
  public record Replayed(List<IncidentRow> incidents, int records, int held, int released,
      int expired) {}

  public static Replayed replay(List<AnomalySignal> signals, Duration groupWindow,
      OpeningConfig opening, Path storeDir) {
    SetClock clock = new SetClock();
    List<AnomalySignal> ordered = signals.stream()
        .sorted(Comparator.comparing((AnomalySignal s) -> s.evidence().received())).toList();
    int held = 0;
    int released = 0;
    int expired = 0;
    try (H2IncidentStore store = H2IncidentStore.open(storeDir)) {
      OpeningPolicy policy = OpeningPolicy.of(opening, groupWindow);
      IncidentTracker tracker = new IncidentTracker(store, groupWindow, Duration.ofHours(24),
          new NoCauseClassifier(), new NoRecommender(), clock, policy);
      for (AnomalySignal s : ordered) {
        clock.now = s.evidence().received();
        IncidentTracker.Result r = tracker.record(s);
        held += r.outcome() == IncidentTracker.Outcome.HELD ? 1 : 0;
        released += r.released().size();
        expired += r.expired().size();
      }
      if (!ordered.isEmpty()) {
        clock.now = ordered.get(ordered.size() - 1).evidence().received()
            .plus(policy.hold()).plusSeconds(1);
        expired += tracker.expire().size();
      }
      List<IncidentRow> rows = store.list(IncidentQuery.all(Integer.MAX_VALUE)).stream()
          .map(IncidentRow::of).sorted(Comparator.comparing(IncidentRow::firstAnomaly)).toList();
      return new Replayed(rows, ordered.size(), held, released, expired);
    }
  }

  /** Every piece of evidence in a demo run's H2 store, as signals of unknown severity. */
  public static List<AnomalySignal> fromStore(Path directory) {
    try (H2IncidentStore store = H2IncidentStore.open(directory)) {
      return store.list(IncidentQuery.all(Integer.MAX_VALUE)).stream()
          .flatMap((Incident i) -> i.evidence().stream())
          .sorted(Comparator.comparing(Evidence::received))
          .map(e -> new AnomalySignal(e, null)).toList();
    }
  }

  private static final class SetClock extends Clock {
    Instant now = Instant.EPOCH;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
