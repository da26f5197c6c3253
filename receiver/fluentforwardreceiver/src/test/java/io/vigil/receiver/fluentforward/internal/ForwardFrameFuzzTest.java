package io.vigil.receiver.fluentforward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.io.IOException;

/**
 * Coverage-guided (Jazzer) over what a Fluent Forward client sends: any bytes on the
 * connection are cut into frames, or refused as too long or not msgpack; every frame decodes
 * into log records, or is refused with {@link MalformedFrameException}; read as the PING of a
 * handshake with user authentication, every frame is answered and none passes. Any other
 * exception, a hang or running out of memory is a crash.
 */
class ForwardFrameFuzzTest {

  private static final int MAX_FRAME = 64 * 1024;
  private static final ForwardHandshake HANDSHAKE =
      new ForwardHandshake("key", "gateway", java.util.Map.of("alice", "wonderland"));

  @FuzzTest(maxDuration = "2m")
  void anyBytesBecomeRecordsOrAClearRefusal(byte[] stream) {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(stream));
    } catch (DecoderException e) {
      assertIsARefusal(e);
    }
    byte[] frame;
    while ((frame = ch.readInbound()) != null) {
      assertThat(frame.length).isPositive().isLessThanOrEqualTo(MAX_FRAME);
      assertThat(pingIsAnsweredAndRefused(frame)).as("a frame that is no valid PING").isTrue();
      ForwardMessage m;
      try {
        m = ForwardMessage.parse(frame, MAX_FRAME);
      } catch (MalformedFrameException refused) {
        continue;
      }
      ExportLogsServiceRequest request = LogRecordMapper.toRequest(m);
      int records = request.getResourceLogsList().stream()
          .flatMap(r -> r.getScopeLogsList().stream())
          .mapToInt(s -> s.getLogRecordsCount()).sum();
      assertThat(records).as("one log record per entry").isEqualTo(m.entries.size());
    }
    try {
      ch.finishAndReleaseAll();
    } catch (DecoderException e) {
      // Closing hands the bytes left over to the decoder once more: the same refusal.
      assertIsARefusal(e);
    }
  }

  private static boolean pingIsAnsweredAndRefused(byte[] frame) {
    try {
      ForwardHandshake.Result r = HANDSHAKE.check(frame);
      return !r.accepted && r.pong.length > 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("a decoded frame must unpack again", e);
    }
  }

  private static void assertIsARefusal(DecoderException e) {
    if (e instanceof TooLongFrameException) {
      return; // netty throws its own DecoderException subclass as is, without wrapping it
    }
    assertThat(e.getCause()).as("the decoder's refusal")
        .isInstanceOfAny(MalformedFrameException.class, IOException.class);
  }
}
