package io.vigil.receiver.fluentforward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Cutting frames where array and map headers claim more values than the bytes could hold: the
 * shape of the out-of-memory ForwardFrameFuzzTest found, where msgpack-java's {@code skipValue}
 * overflowed its count and passed a 94-byte "frame" whose headers claimed billions of entries.
 */
class FrameDecoderTest {

  private static final int MAX = 64 * 1024;

  @Test
  void twoMap32HeadersThatOverflowAnIntCountAreRefusedNotPassedAsAFrame() {
    // {825893429 entries: ..., 0: {1714895160 entries ...}}: entries * 2 summed in an int wraps.
    byte[] bytes = {(byte) 0xdf, 0x31, 0x3a, 0x22, 0x35, 0x00, (byte) 0xdf, 0x66, 0x37, 0x39,
        0x38, 0x01, 0x02};
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes)))
        .isInstanceOf(TooLongFrameException.class)
        .hasMessageContaining("claims");
    assertThat((Object) ch.readInbound()).as("no frame passed on").isNull();
  }

  @Test
  void aHeaderClaimingMoreThanAFrameHoldsIsRefusedBeforeTheBytesArrive() {
    // An array32 of MAX + 1 elements can never fit in MAX bytes: refused from its 5-byte header.
    byte[] header = {(byte) 0xdd, 0, 1, 0, 1};
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(header)))
        .isInstanceOf(TooLongFrameException.class)
        .hasMessageContaining("claims 65537 more values");
  }

  @Test
  void aBigButPossibleHeaderWaitsForItsBytesAndThenMakesOneFrame() throws IOException {
    byte[] whole;
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packArrayHeader(1000);
      for (int i = 0; i < 1000; i++) {
        p.packMapHeader(1).packString("k").packInt(i);
      }
      whole = p.toByteArray();
    }
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(whole, 100)));
    assertThat((Object) ch.readInbound()).as("incomplete: nothing yet").isNull();
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(whole, 100, whole.length)));
    byte[] frame = ch.readInbound();
    assertThat(frame).isEqualTo(whole);
  }

  @Test
  void theHandshakeAndTheParserRefuseSuchHeadersOnFramesTheyAreGivenDirectly()
      throws IOException {
    // A whole frame in which an inner map claims 2^30 entries it does not have.
    byte[] frame = {(byte) 0x92, (byte) 0xa1, 0x61, (byte) 0xdf, 0x40, 0, 0, 0};
    ForwardHandshake.Result r = new ForwardHandshake("k", "gw", Map.of()).check(frame);
    assertThat(r.accepted).isFalse();
    assertThat(r.reason).contains("claims");
    assertThatThrownBy(() -> ForwardMessage.parse(frame, MAX))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("claims");
  }
}
