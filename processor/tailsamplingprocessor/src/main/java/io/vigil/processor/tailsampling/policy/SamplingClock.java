package io.vigil.processor.tailsampling.policy;

/** The time the processor and the rate policies read; tests drive their own. */
public interface SamplingClock {

  long nanoTime();

  /** Wall-clock seconds: the rate policies count per calendar second, as the Collector's. */
  long epochSecond();

  static SamplingClock system() {
    return new SamplingClock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public long epochSecond() {
        return System.currentTimeMillis() / 1000;
      }
    };
  }
}
