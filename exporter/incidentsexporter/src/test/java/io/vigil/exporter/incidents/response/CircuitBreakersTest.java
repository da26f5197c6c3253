package io.vigil.exporter.incidents.response;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

  private Instant now = Instant.parse("2026-03-01T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  };
  private final CircuitBreakers breakers = new CircuitBreakers(3, Duration.ofMinutes(5), clock);

  @Test
  void opensOnTheNthConsecutiveFailureOfOneTargetOnly() {
    assertThat(breakers.failed("http://a:80")).isFalse();
    assertThat(breakers.failed("http://a:80")).isFalse();
    breakers.failed("http://b:80");
    assertThat(breakers.openUntil("http://a:80")).isNull();
    assertThat(breakers.failed("http://a:80")).isTrue();
    assertThat(breakers.openUntil("http://a:80")).isEqualTo(now.plus(Duration.ofMinutes(5)));
    assertThat(breakers.openUntil("http://b:80")).as("another target").isNull();
  }

  @Test
  void successInBetweenResetsTheCount() {
    breakers.failed("t");
    breakers.failed("t");
    breakers.succeeded("t");
    assertThat(breakers.failed("t")).isFalse();
    assertThat(breakers.failed("t")).isFalse();
    assertThat(breakers.openUntil("t")).isNull();
  }

  @Test
  void afterTheCoolDownOneTryIsAllowedAndAFailureReopensAtOnce() {
    for (int i = 0; i < 3; i++) {
      breakers.failed("t");
    }
    now = now.plus(Duration.ofMinutes(5));
    assertThat(breakers.openUntil("t")).as("cool-down over").isNull();
    assertThat(breakers.failed("t")).as("the trial failed").isTrue();
    assertThat(breakers.openUntil("t")).isEqualTo(now.plus(Duration.ofMinutes(5)));
    now = now.plus(Duration.ofMinutes(6));
    breakers.succeeded("t");
    assertThat(breakers.failed("t")).as("closed: counting from zero").isFalse();
  }
}
