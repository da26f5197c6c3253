package io.vigil.receiver.fluentforward.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.io.IOException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.slf4j.Logger;

/**
 * Hands each decoded frame to the logs pipeline and, when the client asked with a chunk ID,
 * acknowledges it once the pipeline accepted it. Reading pauses while a frame is in the
 * pipeline, so a slow pipeline slows the client down instead of filling the heap; a refused
 * frame is not acknowledged, so clients in ack mode send it again.
 */
public final class ForwardHandler extends SimpleChannelInboundHandler<byte[]> {

  private final Consumer<ExportLogsServiceRequest> consumer;
  private final ReceiverTelemetry telemetry;
  private final int maxFrameBytes;
  private final Logger log;
  /** The decoder may fail again on the bytes left when the connection closes: count once. */
  private boolean failed;

  public ForwardHandler(Consumer<ExportLogsServiceRequest> consumer, ReceiverTelemetry telemetry,
      int maxFrameBytes, Logger log) {
    this.consumer = consumer;
    this.telemetry = telemetry;
    this.maxFrameBytes = maxFrameBytes;
    this.log = log;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) throws Exception {
    ForwardMessage m = ForwardMessage.parse(frame, maxFrameBytes);
    if (m.entries.isEmpty()) {
      ack(ctx, m.chunk);
      return;
    }
    if (LogRecordMapper.isUnparsableKubernetesTag(m.tag)) {
      // Delivered without k8s.* attributes; counted so the gap is visible.
      telemetry.protocolError("k8s_tag_unparsed");
    }
    ExportLogsServiceRequest request = LogRecordMapper.toRequest(m);
    int items = m.entries.size();
    ctx.channel().config().setAutoRead(false);
    consumer.consume(request).whenComplete((ok, err) -> {
      if (err == null) {
        telemetry.accepted(Signal.LOGS, items);
        ack(ctx, m.chunk);
      } else {
        telemetry.refused(Signal.LOGS, items);
        ConsumeException e = ConsumeException.from(err);
        if (m.chunk == null) {
          log.warn("Dropped {} records from {} (tag {}): the pipeline refused them ({}) and the"
              + " client does not use acks; enable Require_ack_response in Fluent Bit",
              items, ctx.channel().remoteAddress(), m.tag, e.getMessage());
        } else {
          log.debug("Not acknowledging chunk {}: {}", m.chunk, e.getMessage());
        }
      }
      ctx.channel().config().setAutoRead(true);
    });
  }

  private static void ack(ChannelHandlerContext ctx, String chunk) {
    if (chunk == null) {
      return;
    }
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packMapHeader(1).packString("ack").packString(chunk);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(p.toByteArray()));
    } catch (IOException e) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failed) {
      return;
    }
    failed = true;
    Throwable c = cause instanceof DecoderException && cause.getCause() != null
        ? cause.getCause() : cause;
    String reason = c instanceof MalformedFrameException ? ((MalformedFrameException) c).reason()
        : c instanceof TooLongFrameException ? "too_large"
        : c instanceof IOException ? "io"
        : "msgpack";
    telemetry.protocolError(reason);
    if (!"io".equals(reason)) {
      log.warn("Closing forward connection from {}: {} ({})", ctx.channel().remoteAddress(),
          c.getMessage(), reason);
    }
    ctx.close();
  }
}
