package io.vigil.receiver.fluentforward.internal;

import java.io.IOException;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Walks msgpack values without building them, counting the values still owed by array and map
 * headers in a {@code long} and refusing a header that claims more values than the bytes left
 * could hold (each value takes at least one byte).
 *
 * <p>Why not msgpack-java's {@code skipValue}: it adds {@code entries * 2} of each map header to
 * an {@code int}, so two map32 headers claiming a billion entries overflow it to a negative count
 * and it returns as if the value were complete. A 94-byte frame then passed as whole and
 * {@code unpackValue}, which allocates an array from each header before reading, ran the heap
 * out (ForwardFrameFuzzTest, {@code crash-two-map32-headers-overflow-skipvalue}). And bounding a
 * header by the bytes left is what keeps {@code unpackValue}'s up-front allocation to a few
 * references per byte of the frame.
 */
final class MsgpackWalk {

  private MsgpackWalk() {}

  /** Thrown when a header claims more values than the bytes allowed could hold. */
  static final class TooManyValuesException extends Exception {
    TooManyValuesException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads past one whole value.
   *
   * @param maxBytes the most bytes the value may take, counted from the unpacker's start
   * @throws org.msgpack.core.MessageInsufficientBufferException when the input ends inside it
   * @throws TooManyValuesException when a header claims more values than {@code maxBytes} holds
   */
  static void skipOne(MessageUnpacker u, long maxBytes)
      throws IOException, TooManyValuesException {
    long owed = 1;
    while (owed > 0) {
      MessageFormat f = u.getNextFormat();
      owed--;
      switch (f.getValueType()) {
        case ARRAY -> owed += u.unpackArrayHeader();
        case MAP -> owed += 2L * u.unpackMapHeader();
        default -> u.skipValue();
      }
      long left = maxBytes - u.getTotalReadBytes();
      if (owed > left) {
        throw new TooManyValuesException("a header claims " + owed + " more values where at most "
            + Math.max(left, 0) + " bytes may follow");
      }
    }
  }

  /**
   * Checks that {@code data} is a sequence of whole msgpack values whose headers the bytes can
   * fill, so that {@code unpackValue} on it allocates no more than the data can justify.
   */
  static void checkWhole(byte[] data, String what) throws MalformedFrameException {
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data)) {
      while (u.hasNext()) {
        skipOne(u, data.length);
      }
    } catch (IOException | MessagePackException | TooManyValuesException e) {
      throw new MalformedFrameException("msgpack", what + " not valid msgpack: " + e.getMessage());
    }
  }
}
