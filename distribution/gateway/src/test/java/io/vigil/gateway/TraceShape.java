package io.vigil.gateway;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * What the two-tier test made of one trace: its IDs and the features the sampling policies look
 * at, drawn at random from a seed. Each {@code expected*} method is the policy's rule written
 * again from its README, not taken from the processor, so the test checks the gateways against
 * an independent reading.
 */
record TraceShape(int phase, int spans, long durationMs, int errorSpan, int okSpan,
    String tenant, int tenantSpan, Long orderItems, int itemsSpan, ByteString traceId,
    List<ByteString> spanIds) {

  static final String[] TENANTS = {null, "gold", "silver", "bronze"};
  /** Around the latency threshold (1000 ms) on both sides. */
  static final long[] DURATIONS_MS = {120, 480, 999, 1000, 2500};

  /** A shape without IDs yet: the SDK assigns them when the spans are made. */
  static TraceShape draw(Random r, int phase) {
    int spans = 1 + r.nextInt(5);
    int error = r.nextInt(10) < 3 ? r.nextInt(spans) : -1;
    int ok = r.nextInt(10) < 3 ? r.nextInt(spans) : -1;
    if (ok == error) {
      ok = -1;
    }
    // Values 0..25 cross the numeric range [12, 20] and the and-policy's 5 on both sides.
    Long items = r.nextInt(5) == 0 ? null : (long) r.nextInt(26);
    return new TraceShape(phase, spans, DURATIONS_MS[r.nextInt(DURATIONS_MS.length)], error, ok,
        TENANTS[r.nextInt(TENANTS.length)], r.nextInt(spans), items, r.nextInt(spans), null,
        List.of());
  }

  TraceShape withIds(ByteString trace, List<ByteString> spanIdsInOrder) {
    return new TraceShape(phase, spans, durationMs, errorSpan, okSpan, tenant, tenantSpan,
        orderItems, itemsSpan, trace, List.copyOf(spanIdsInOrder));
  }

  boolean hasError() {
    return errorSpan >= 0;
  }

  boolean isTenant(String t) {
    return t.equals(tenant);
  }

  boolean itemsBetween(long min, long max) {
    return orderItems != null && orderItems >= min && orderItems <= max;
  }

  /**
   * {@code probabilistic}: FNV-1a 64 over the salt's bytes then the trace ID's 16 bytes, kept
   * when the hash (unsigned) is at most {@code percent}% of 2^64 - 1; compared in integers.
   */
  boolean inProbabilisticSample(String salt, int percent) {
    BigInteger prime = BigInteger.valueOf(0x100000001b3L);
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    BigInteger h = new BigInteger("cbf29ce484222325", 16);
    byte[] salted = salt.getBytes(StandardCharsets.UTF_8);
    byte[] id = traceId.toByteArray();
    byte[] all = new byte[salted.length + id.length];
    System.arraycopy(salted, 0, all, 0, salted.length);
    System.arraycopy(id, 0, all, salted.length, id.length);
    for (byte b : all) {
      h = h.xor(BigInteger.valueOf(b & 0xff)).multiply(prime).and(mask);
    }
    return h.multiply(BigInteger.valueOf(100)).compareTo(mask.multiply(BigInteger.valueOf(percent)))
        <= 0;
  }
}
