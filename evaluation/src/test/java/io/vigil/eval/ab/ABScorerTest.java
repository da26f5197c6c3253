package io.vigil.eval.ab;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.eval.faults.FaultLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ABScorerTest {

  private static final Instant T0 = Instant.parse("2026-11-28T16:00:00Z");
  private final ABScorer scorer = new ABScorer(Duration.ofSeconds(15), Duration.ofSeconds(60));
  private final List<FaultLabel> faults = List.of(
      new FaultLabel("payments", "error_rate", T0.plusSeconds(60), T0.plusSeconds(180)),
      new FaultLabel("orders", "memory_leak", T0.plusSeconds(600), T0.plusSeconds(780)));

  private static AlertEpisode alert(String service, int atSeconds) {
    return new AlertEpisode("rule", service, T0.plusSeconds(atSeconds));
  }

  @Test
  void theFirstAlertOnTheFaultedServiceWithinItsWindowDetectsIt() {
    var s = scorer.score(faults, List.of(alert("storefront", 70), alert("payments", 100),
        alert("payments", 130)), T0, T0.plusSeconds(3600));

    assertThat(s.detections().get(0).timeToDetect()).contains(Duration.ofSeconds(40));
    assertThat(s.detections().get(1).timeToDetect()).isEmpty();
    assertThat(s.detected()).isEqualTo(1);
    assertThat(s.recall()).isEqualTo(0.5);
    assertThat(s.meanTimeToDetect()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void alertsAreRightElsewhereOrFalseByServiceAndWindow() {
    var s = scorer.score(faults, List.of(
        alert("payments", 100),      // right
        alert("storefront", 120),    // during the payments fault, on another service
        alert("payments", 239),      // in the tail: still right
        alert("payments", 241),      // after the tail: false
        alert("inventory", 3000)),   // no fault: false
        T0, T0.plusSeconds(3600));

    assertThat(s.alerts()).isEqualTo(5);
    assertThat(s.right()).isEqualTo(2);
    assertThat(s.elsewhere()).isEqualTo(1);
    assertThat(s.falseAlerts()).isEqualTo(2);
    assertThat(s.precision()).isEqualTo(0.4);
    assertThat(s.alertsPerHour()).isEqualTo(5.0);
    assertThat(s.falseAlertsPerHour()).isEqualTo(2.0);
  }

  @Test
  void anAlertInTheLeadDetectsWithTimeZeroAndAlertsOutsideTheRunAreIgnored() {
    var s = scorer.score(faults, List.of(alert("orders", 590), alert("payments", -30)), T0,
        T0.plusSeconds(1800));

    assertThat(s.detections().get(1).timeToDetect()).contains(Duration.ZERO);
    assertThat(s.alerts()).isEqualTo(1);
    assertThat(s.hours()).isEqualTo(0.5);
  }

  @Test
  void aFaultWithAPrecursorCountsFromWhenItFailedAndAWarningDuringTheRampLeadsIt() {
    // heap_exhaustion: leaking from 60 s, failing from 300 s, off at 420 s.
    FaultLabel exhaustion = new FaultLabel("orders", "heap_exhaustion", T0.plusSeconds(60),
        T0.plusSeconds(420), T0.plusSeconds(300));
    var warned = scorer.score(List.of(exhaustion), List.of(alert("orders", 200)), T0,
        T0.plusSeconds(3600));
    assertThat(warned.detections().get(0).timeToDetect()).contains(Duration.ZERO);
    assertThat(warned.detections().get(0).warnedAhead()).contains(Duration.ofSeconds(100));
    assertThat(warned.right()).as("a warning during the ramp is right").isEqualTo(1);

    var late = scorer.score(List.of(exhaustion), List.of(alert("orders", 330)), T0,
        T0.plusSeconds(3600));
    assertThat(late.detections().get(0).timeToDetect()).contains(Duration.ofSeconds(30));
    assertThat(late.detections().get(0).warnedAhead()).isEmpty();
    assertThat(faults.get(0).failureStart()).as("a step fault fails from its start")
        .isEqualTo(faults.get(0).start());
  }

  @Test
  void withoutAlertsNothingIsDetectedAndThereIsNoMeanTime() {
    var s = scorer.score(faults, List.of(), T0, T0.plusSeconds(3600));

    assertThat(s.detected()).isZero();
    assertThat(s.meanTimeToDetect()).isNull();
    assertThat(s.precision()).isZero();
  }
}
