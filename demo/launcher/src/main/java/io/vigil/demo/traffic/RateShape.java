package io.vigil.demo.traffic;

import java.time.Duration;

/** The target request rate at a moment of a scenario, from its traffic shape. */
final class RateShape {

  private final Scenario scenario;

  RateShape(Scenario scenario) {
    this.scenario = scenario;
  }

  /** Requests per second wanted {@code elapsed} into the scenario, never above max_rate. */
  double rateAt(Duration elapsed) {
    Scenario.Traffic t = scenario.traffic();
    double s = elapsed.toNanos() / 1e9;
    double rate = switch (t.shape()) {
      case STEADY -> t.rate();
      case WAVE -> {
        // Starts in the trough and crests half a period in, like a day's traffic.
        double phase = 2 * Math.PI * s / (t.period().toNanos() / 1e9);
        yield t.rate() + (t.peakRate() - t.rate()) * (1 - Math.cos(phase)) / 2;
      }
      case SPIKE -> {
        double from = t.spikeAt().toNanos() / 1e9;
        double to = from + t.spikeDuration().toNanos() / 1e9;
        yield s >= from && s < to ? t.peakRate() : t.rate();
      }
      case RAMP -> {
        double total = scenario.duration().toNanos() / 1e9;
        yield t.rate() + (t.peakRate() - t.rate()) * Math.min(1, s / total);
      }
    };
    return Math.max(0, Math.min(rate, scenario.maxRate()));
  }
}
