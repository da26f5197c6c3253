package io.vigil.eval.ab;

import io.vigil.eval.faults.FaultLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Scores one arm's alerts against a run's labelled faults. A fault is detected when an alert on
 * its service pages within its window, widened by {@code lead} before and {@code tail} after (the
 * same widening as the incidents scorer); time to detect is from the fault's start to that first
 * alert (0 when the alert came in the lead). For a fault with a precursor (its label's
 * {@code failing_from}), the window runs from the precursor's start, and time to detect counts
 * from when the service began to fail: an alert during the precursor is a warning ahead, with
 * its lead time, and counts 0 in the mean. An alert is right when it pages on the faulted
 * service within a fault's window, "elsewhere" when it pages on another service within one (a
 * symptom of the fault, but not where it is), and false otherwise.
 */
public final class ABScorer {

  private final Duration lead;
  private final Duration tail;

  public ABScorer(Duration lead, Duration tail) {
    this.lead = lead;
    this.tail = tail;
  }

  /** A fault and the first alert on its service, if any. */
  public record Detection(FaultLabel fault, AlertEpisode first) {
    public Optional<Duration> timeToDetect() {
      return first == null ? Optional.empty() : Optional.of(
          first.firedAt().isBefore(fault.failureStart()) ? Duration.ZERO
              : Duration.between(fault.failureStart(), first.firedAt()));
    }

    /** How long before its service began to fail the first alert came; empty when it did not. */
    public Optional<Duration> warnedAhead() {
      return first == null || fault.failingFrom() == null
          || !first.firedAt().isBefore(fault.failingFrom()) ? Optional.empty()
          : Optional.of(Duration.between(first.firedAt(), fault.failingFrom()));
    }
  }

  /** One arm's score over a run of {@code hours}. */
  public record Score(List<Detection> detections, int alerts, int right, int elsewhere,
      int falseAlerts, double hours) {

    public long detected() {
      return detections.stream().filter(d -> d.first() != null).count();
    }

    public double recall() {
      return detections.isEmpty() ? 0 : detected() / (double) detections.size();
    }

    /** Right alerts over all alerts; 0 without alerts. */
    public double precision() {
      return alerts == 0 ? 0 : right / (double) alerts;
    }

    /** Mean time to detect over the detected faults, null when none was. */
    public Duration meanTimeToDetect() {
      List<Duration> d = detections.stream().flatMap(x -> x.timeToDetect().stream()).toList();
      return d.isEmpty() ? null : d.stream().reduce(Duration.ZERO, Duration::plus)
          .dividedBy(d.size());
    }

    public double alertsPerHour() {
      return alerts / hours;
    }

    public double falseAlertsPerHour() {
      return falseAlerts / hours;
    }
  }

  /** Scores the alerts paged within [{@code from}, {@code to}]; the others are ignored. */
  public Score score(List<FaultLabel> faults, List<AlertEpisode> alerts, Instant from,
      Instant to) {
    List<AlertEpisode> in = alerts.stream()
        .filter(a -> !a.firedAt().isBefore(from) && !a.firedAt().isAfter(to)).toList();
    List<Detection> detections = new ArrayList<>();
    for (FaultLabel f : faults) {
      detections.add(new Detection(f, in.stream()
          .filter(a -> a.service().equals(f.service()) && within(a.firedAt(), f))
          .findFirst().orElse(null)));
    }
    int right = 0;
    int elsewhere = 0;
    for (AlertEpisode a : in) {
      List<FaultLabel> during = faults.stream().filter(f -> within(a.firedAt(), f)).toList();
      if (during.stream().anyMatch(f -> f.service().equals(a.service()))) {
        right++;
      } else if (!during.isEmpty()) {
        elsewhere++;
      }
    }
    double hours = Duration.between(from, to).toMillis() / 3_600_000.0;
    return new Score(detections, in.size(), right, elsewhere, in.size() - right - elsewhere,
        hours);
  }

  private boolean within(Instant t, FaultLabel f) {
    return !t.isBefore(f.start().minus(lead)) && !t.isAfter(f.end().plus(tail));
  }
}
