package io.vigil.testbed.load;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.vigil.core.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceiling for a pass-through pipeline on one core: the same requests the driver sends,
 * decoded from bytes and encoded back to bytes by protobuf in one thread, nothing else.
 */
public final class PassThroughLimit {

  private PassThroughLimit() {}

  /** Items per second decoded and re-encoded, after {@code warmupMillis} of the same work. */
  public static double itemsPerSecond(List<List<? extends Message>> pools, long warmupMillis,
      long measureMillis) throws Exception {
    List<byte[]> bytes = new ArrayList<>();
    List<Parser<? extends Message>> parsers = new ArrayList<>();
    List<Integer> items = new ArrayList<>();
    List<Signal<?>> signals = List.of(Signal.TRACES, Signal.LOGS, Signal.METRICS);
    // The driver's mix: traces, logs, traces, logs, metrics.
    int[] order = {0, 1, 0, 1, 2};
    for (int i = 0; i < 16; i++) {
      for (int s : order) {
        Message m = pools.get(s).get(i);
        bytes.add(m.toByteArray());
        parsers.add(m.getParserForType());
        items.add(count(signals.get(s), m));
      }
    }
    run(bytes, parsers, items, warmupMillis);
    return run(bytes, parsers, items, measureMillis);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> int count(Signal<T> s, Message m) {
    return s.itemCount((T) m);
  }

  private static double run(List<byte[]> bytes, List<Parser<? extends Message>> parsers,
      List<Integer> items, long millis) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    long start = System.nanoTime();
    long done = 0;
    long sink = 0;
    int i = 0;
    while (System.nanoTime() < end) {
      Message m = parsers.get(i).parseFrom(bytes.get(i));
      sink += m.toByteArray().length;
      done += items.get(i);
      i = (i + 1) % bytes.size();
    }
    if (sink == 42) {
      System.out.print("");
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }
}
