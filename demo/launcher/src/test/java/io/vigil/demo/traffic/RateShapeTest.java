package io.vigil.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateShapeTest {

  private static RateShape shape(String traffic, String maxRate) {
    return new RateShape(ScenarioLoader.parse("name: t\nduration: 100s\nmax_rate: " + maxRate
        + "\ntraffic: " + traffic));
  }

  private static double at(RateShape s, int seconds) {
    return s.rateAt(Duration.ofSeconds(seconds));
  }

  @Test
  void steadyStaysPut() {
    RateShape s = shape("{rate: 7}", "100");
    assertThat(at(s, 0)).isEqualTo(7);
    assertThat(at(s, 99)).isEqualTo(7);
  }

  @Test
  void waveStartsInTheTroughAndCrestsHalfAPeriodIn() {
    RateShape s = shape("{shape: wave, rate: 10, peak_rate: 50, period: 40s}", "100");
    assertThat(at(s, 0)).isCloseTo(10, within(1e-9));
    assertThat(at(s, 20)).isCloseTo(50, within(1e-9));
    assertThat(at(s, 10)).isCloseTo(30, within(1e-9));
    assertThat(at(s, 40)).isCloseTo(10, within(1e-9));
  }

  @Test
  void spikeOnlyInsideItsWindow() {
    RateShape s = shape("{shape: spike, rate: 10, peak_rate: 90, spike_at: 30s, spike_duration: 10s}", "100");
    assertThat(at(s, 29)).isEqualTo(10);
    assertThat(at(s, 30)).isEqualTo(90);
    assertThat(at(s, 39)).isEqualTo(90);
    assertThat(at(s, 40)).isEqualTo(10);
  }

  @Test
  void rampClimbsLinearlyOverTheScenario() {
    RateShape s = shape("{shape: ramp, rate: 0, peak_rate: 100}", "100");
    assertThat(at(s, 25)).isCloseTo(25, within(1e-9));
    assertThat(at(s, 100)).isCloseTo(100, within(1e-9));
  }

  @Test
  void neverAboveMaxRate() {
    Scenario sc = ScenarioLoader.parse("name: t\nduration: 100s\nmax_rate: 20\ntraffic: {rate: 5}");
    Scenario widened = new Scenario(sc.name(), sc.duration(), sc.maxRate(), sc.maxInFlight(),
        new Scenario.Traffic(Scenario.Shape.STEADY, 500, 500, sc.duration(), Duration.ZERO,
            Duration.ZERO, sc.traffic().mix()), sc.faults(), sc.seed());
    assertThat(new RateShape(widened).rateAt(Duration.ofSeconds(3))).isEqualTo(20);
  }
}
