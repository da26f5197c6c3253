package io.vigil.exporter.loadbalancing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A consistent-hash ring: each backend holds 100 points (CRC-32 of {@code endpoint#i}), a key
 * belongs to the first point at or after its own CRC-32. The ring depends only on the set of
 * backends, not their order, so every gateway with the same list routes a trace alike; adding or
 * removing one backend moves only the keys of its points.
 */
final class HashRing {

  private static final int POINTS_PER_BACKEND = 100;

  private final TreeMap<Long, String> points = new TreeMap<>();

  HashRing(List<String> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one backend");
    }
    for (String e : endpoints) {
      for (int i = 0; i < POINTS_PER_BACKEND; i++) {
        long p = crc(e + "#" + i);
        // A collision keeps the smaller endpoint name, so the ring stays order-independent.
        points.merge(p, e, (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
  }

  String backendFor(byte[] key) {
    Map.Entry<Long, String> e = points.ceilingEntry(crc(key));
    return (e != null ? e : points.firstEntry()).getValue();
  }

  private static long crc(String s) {
    return crc(s.getBytes(StandardCharsets.UTF_8));
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }
}
