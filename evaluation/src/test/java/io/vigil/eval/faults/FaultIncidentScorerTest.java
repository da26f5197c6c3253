package io.vigil.eval.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultIncidentScorerTest {

  private static final Instant T0 = Instant.parse("2026-11-28T07:00:00Z");
  private final FaultIncidentScorer scorer =
      new FaultIncidentScorer(Duration.ofSeconds(15), Duration.ofSeconds(60));

  private static FaultLabel fault(String service, int fromS, int toS) {
    return new FaultLabel(service, "error_rate", T0.plusSeconds(fromS), T0.plusSeconds(toS));
  }

  private static IncidentRow incident(String id, String origin, int atS, int anomalies) {
    return new IncidentRow(id, origin, List.of(origin), T0.plusSeconds(atS), anomalies, id);
  }

  @Test
  void eachFaultKeepsTheIncidentsThatStartInItsWidenedWindow() {
    List<FaultLabel> faults = List.of(fault("payments", 100, 160), fault("orders", 300, 360));
    var s = scorer.score(faults, List.of(
        incident("inc-1", "payments", 86, 5),     // 14 s before: within the lead
        incident("inc-2", "orders", 110, 3),      // during fault 1, on a caller
        incident("inc-3", "orders", 420, 2),      // 60 s after fault 2's end: within the tail
        incident("inc-4", "orders", 421, 1),      // 61 s after: noise
        incident("inc-5", "inventory", 10, 1)),   // before any fault: noise
        42);

    assertThat(s.faults().get(0).onService()).extracting(IncidentRow::id).containsExactly("inc-1");
    assertThat(s.faults().get(0).elsewhere()).extracting(IncidentRow::id).containsExactly("inc-2");
    assertThat(s.faults().get(1).onService()).extracting(IncidentRow::id).containsExactly("inc-3");
    assertThat(s.noise()).extracting(IncidentRow::id).containsExactly("inc-4", "inc-5");
    assertThat(s.exactlyOne()).isEqualTo(2);
    assertThat(s.detected()).isEqualTo(2);
    assertThat(s.elsewhere()).isEqualTo(1);
    assertThat(s.incidents()).isEqualTo(5);
    assertThat(s.rawAnomalies()).isEqualTo(12);
    assertThat(s.alerts()).isEqualTo(42);
  }

  @Test
  void aFaultSplitIntoTwoIncidentsOrMissedIsNotExactlyOne() {
    List<FaultLabel> faults = List.of(fault("payments", 100, 160), fault("inventory", 300, 360));
    var s = scorer.score(faults, List.of(incident("inc-1", "payments", 101, 1),
        incident("inc-2", "payments", 150, 1)), -1);

    assertThat(s.faults().get(0).onService()).hasSize(2);
    assertThat(s.faults().get(0).exactlyOneOnService()).isFalse();
    assertThat(s.faults().get(1).onService()).isEmpty();
    assertThat(s.exactlyOne()).isZero();
    assertThat(s.detected()).isEqualTo(1);
  }

  @Test
  void anIncidentInTwoOverlappingWindowsBelongsToTheEarlierFault() {
    List<FaultLabel> faults = List.of(fault("payments", 100, 160), fault("payments", 200, 260));
    var s = scorer.score(faults, List.of(incident("inc-1", "payments", 190, 1)), -1);

    assertThat(s.faults().get(0).onService()).hasSize(1);
    assertThat(s.faults().get(1).onService()).isEmpty();
  }
}
