package io.vigil.processor.probabilisticsampler.internal;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Where 56 bits of sampling randomness come from (W3C Trace Context level 2, OTel rv). */
public final class Randomness {
  private Randomness() {}

  /** The trace ID's least significant 7 bytes, big-endian. */
  public static long ofTraceId(ByteString traceId) {
    long v = 0;
    for (int i = 9; i < 16; i++) {
      v = (v << 8) | (traceId.byteAt(i) & 0xff);
    }
    return v;
  }

  public static boolean isEmptyTraceId(ByteString traceId) {
    if (traceId.size() != 16) {
      return true;
    }
    for (int i = 0; i < 16; i++) {
      if (traceId.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** An rv value: exactly 14 hex digits; -1 when malformed. */
  public static long parseRValue(String s) {
    if (s.length() != Threshold.HEX_DIGITS || !Threshold.isHex(s)) {
      return -1;
    }
    return Long.parseUnsignedLong(s, 16);
  }

  public static String rvalue(long randomness) {
    return String.format("%014x", randomness);
  }

  /**
   * The hash_seed mode's randomness, bit for bit the Collector's: FNV-1a (32 bits) over the seed
   * (4 bytes, little-endian) then the bytes; its low 14 bits decide, placed so that the OTel
   * comparison (randomness at or above the threshold) gives the original decision.
   */
  public static long ofHash(byte[] bytes, long seed) {
    int hashed32 = fnv1a32(seed, bytes);
    long hashed = hashed32 & 0x3fffL;
    long rprime14 = 0x4000L - 1 - hashed;
    long unused18 = Integer.toUnsignedLong(hashed32) >>> 14;
    long mixed28 = unused18 ^ (unused18 << 10);
    return (rprime14 << 42) | (mixed28 << 14) | hashed;
  }

  static int fnv1a32(long seed, byte[] bytes) {
    int h = 0x811c9dc5;
    byte[] s = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) seed).array();
    for (byte b : s) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }
}
