package io.vigil.processor.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code hash} action: SHA-256 of the value's bytes as lower-case hex, over the same bytes
 * the Collector hashes (UTF-8 for strings, one byte for booleans, 8 little-endian bytes for
 * integers and doubles), so a hashed ID joins with one hashed by a Collector. Other types, and the
 * empty string, become the empty string, as there.
 */
final class ValueHash {
  private ValueHash() {}

  static AnyValue of(AnyValue v) {
    byte[] bytes = switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue().getBytes(StandardCharsets.UTF_8);
      case BOOL_VALUE -> new byte[] {(byte) (v.getBoolValue() ? 1 : 0)};
      case INT_VALUE -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(v.getIntValue()).array();
      case DOUBLE_VALUE -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putLong(Double.doubleToRawLongBits(v.getDoubleValue())).array();
      default -> new byte[0];
    };
    if (bytes.length == 0) {
      return AnyValues.string("");
    }
    return AnyValues.string(HexFormat.of().formatHex(sha256().digest(bytes)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
