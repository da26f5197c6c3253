package io.vigil.receiver.fluentforward.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.List;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Cuts the TCP stream into forward-protocol frames: each frame is one complete msgpack value.
 * Bytes are kept until a whole value has arrived; a value larger than the limit is an error.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  private final int maxFrameBytes;

  public FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws IOException, MalformedFrameException {
    while (in.isReadable()) {
      int length = completeValueLength(in);
      if (length < 0) {
        if (in.readableBytes() > maxFrameBytes) {
          throw new TooLongFrameException(
              "forward frame exceeds " + maxFrameBytes + " bytes without ending");
        }
        return;
      }
      if (length > maxFrameBytes) {
        throw new TooLongFrameException(
            "forward frame of " + length + " bytes exceeds " + maxFrameBytes);
      }
      byte[] frame = new byte[length];
      in.readBytes(frame);
      out.add(frame);
    }
  }

  /**
   * The length of the msgpack value at the reader index, or -1 when it is not complete yet.
   *
   * @throws MalformedFrameException when the bytes are not msgpack: a reserved type byte, or a
   *     length beyond what Java can hold (found by ForwardFrameFuzzTest: msgpack-java throws
   *     its own runtime exceptions for these)
   * @throws TooLongFrameException when a header claims more values than a frame can hold, which
   *     is refused at once instead of waiting for bytes that could never make a frame
   */
  private int completeValueLength(ByteBuf in) throws IOException, MalformedFrameException {
    // A stream over a duplicate: the reader index stays put, and msgpack-core never touches a
    // direct buffer (its direct-buffer access is refused by the module system on JDK 17).
    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(new ByteBufInputStream(in.duplicate()))) {
      MsgpackWalk.skipOne(u, maxFrameBytes);
      return (int) u.getTotalReadBytes();
    } catch (MessageInsufficientBufferException e) {
      return -1;
    } catch (MessagePackException e) {
      throw new MalformedFrameException("msgpack", "not valid msgpack: " + e.getMessage());
    } catch (MsgpackWalk.TooManyValuesException e) {
      throw new TooLongFrameException("forward frame exceeds " + maxFrameBytes + " bytes: "
          + e.getMessage());
    }
  }
}
