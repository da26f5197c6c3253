package io.vigil.demo.traffic;

import java.util.concurrent.atomic.LongAdder;

/** What the generator sent and what came back. */
public final class TrafficStats {

  final LongAdder sent = new LongAdder();
  final LongAdder ok = new LongAdder();
  final LongAdder clientErrors = new LongAdder();
  final LongAdder serverErrors = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder skipped = new LongAdder();

  public long sent() {
    return sent.sum();
  }

  public long ok() {
    return ok.sum();
  }

  public long serverErrors() {
    return serverErrors.sum();
  }

  @Override
  public String toString() {
    return "sent " + sent.sum() + ", 2xx " + ok.sum() + ", 4xx " + clientErrors.sum()
        + ", 5xx " + serverErrors.sum() + ", no answer " + failed.sum()
        + ", skipped (max_in_flight reached) " + skipped.sum();
  }
}
