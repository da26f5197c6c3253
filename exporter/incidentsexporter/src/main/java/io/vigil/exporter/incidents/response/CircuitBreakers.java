package io.vigil.exporter.incidents.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One circuit per target: {@code failures} consecutive failures open it, and while open for
 * {@code coolDown} no action is sent to that target (a target that is down is not hammered,
 * and a runaway rule cannot keep hitting it). After the cool-down the next action is tried: a
 * success closes the circuit, a failure opens it again at once.
 */
final class CircuitBreakers {

  private final int failures;
  private final Duration coolDown;
  private final Clock clock;
  private final Map<String, Integer> consecutive = new HashMap<>();
  private final Map<String, Instant> openUntil = new HashMap<>();

  CircuitBreakers(int failures, Duration coolDown, Clock clock) {
    this.failures = failures;
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /** Null when the target may be called; else until when its circuit is open. */
  synchronized Instant openUntil(String target) {
    Instant until = openUntil.get(target);
    return until != null && clock.instant().isBefore(until) ? until : null;
  }

  synchronized void succeeded(String target) {
    consecutive.remove(target);
    openUntil.remove(target);
  }

  /** Returns true when this failure opened the circuit. */
  synchronized boolean failed(String target) {
    int n = consecutive.merge(target, 1, Integer::sum);
    if (n >= failures) {
      openUntil.put(target, clock.instant().plus(coolDown));
      return true;
    }
    return false;
  }
}
