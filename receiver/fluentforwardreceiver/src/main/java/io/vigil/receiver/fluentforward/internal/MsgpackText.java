package io.vigil.receiver.fluentforward.internal;

import java.nio.charset.StandardCharsets;
import org.msgpack.value.Value;

/**
 * The text of a msgpack string as Fluent Bit and Fluentd send it: log lines are bytes, not
 * always valid UTF-8 (binary output, a line cut mid-character). msgpack-java's
 * {@code asString()} throws on those; a malformed sequence becomes U+FFFD here instead, so one
 * odd byte costs a replacement character, not the frame (found by ForwardFrameFuzzTest).
 */
final class MsgpackText {

  private MsgpackText() {}

  /** {@code v}, a string or binary value, decoded leniently. */
  static String of(Value v) {
    return new String(v.asRawValue().asByteArray(), StandardCharsets.UTF_8);
  }
}
