package io.vigil.processor.tailsampling;

import io.vigil.processor.tailsampling.policy.SamplingClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand. */
final class FakeClock implements SamplingClock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long epochSecond() {
    return nanos.get() / 1_000_000_000L;
  }

  void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
