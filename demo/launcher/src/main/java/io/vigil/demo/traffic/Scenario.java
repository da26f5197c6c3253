package io.vigil.demo.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A traffic scenario as written in its YAML file: how long, how much load in which shape, and
 * which faults to inject when. Built by {@link ScenarioLoader}, which checks every field.
 *
 * @param name shown in the output and written into every fault label
 * @param duration how long the generator runs
 * @param maxRate a hard ceiling on requests per second, whatever the shape says
 * @param maxInFlight requests waiting for an answer at most; beyond it requests are skipped
 * @param traffic the load
 * @param faults the faults, each labelled in the ground-truth file when it ends
 * @param seed seeds the choice of requests (kinds, items, quantities): runs that differ only in
 *     their seed see different request sequences, which is what a training/test split by seed
 *     needs. Timing (threads, GC, the network) still varies between runs of one seed.
 */
public record Scenario(String name, Duration duration, double maxRate, int maxInFlight,
    Traffic traffic, List<FaultStep> faults, long seed) {

  /** The seed when a scenario file names none. */
  public static final long DEFAULT_SEED = 1;

  /** The same scenario with another seed ({@code --seed} on the command line). */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, duration, maxRate, maxInFlight, traffic, faults, newSeed);
  }

  /**
   * The load.
   *
   * @param shape steady, wave (diurnal), spike or ramp
   * @param rate requests per second: the steady rate, the wave's trough, the base under a
   *     spike, the start of a ramp
   * @param peakRate the wave's crest, the spike's height, the end of a ramp
   * @param period the length of one wave
   * @param spikeAt when the spike starts
   * @param spikeDuration how long the spike lasts
   * @param mix relative weights of the request kinds (checkout, browse)
   */
  public record Traffic(Shape shape, double rate, double peakRate, Duration period,
      Duration spikeAt, Duration spikeDuration, Map<String, Double> mix) {}

  /**
   * One fault: switched on at {@code at} for {@code duration} on {@code service}.
   *
   * @param params the fault's parameter, e.g. {@code {rate: 0.5}} for error_rate
   */
  public record FaultStep(String service, String kind, Duration at, Duration duration,
      Map<String, Object> params) {

    /** heap_exhaustion's default ramp, as the services define it. */
    static final double DEFAULT_RAMP_SECONDS = 240;

    Duration end() {
      return at.plus(duration);
    }

    /**
     * For a fault with a precursor (heap_exhaustion), how long after its start the service
     * begins to fail: what a failure predictor's labels count from. Null for the others, which
     * fail from their start.
     */
    public Duration failingAfter() {
      if (!kind.equals("heap_exhaustion")) {
        return null;
      }
      Object ramp = params.getOrDefault("ramp_s", DEFAULT_RAMP_SECONDS);
      if (!(ramp instanceof Number n) || n.doubleValue() < 0) {
        throw new IllegalArgumentException("ramp_s must be a non-negative number of seconds");
      }
      return Duration.ofMillis((long) (n.doubleValue() * 1000));
    }
  }

  /** The shapes of load over time. */
  public enum Shape { STEADY, WAVE, SPIKE, RAMP }
}
