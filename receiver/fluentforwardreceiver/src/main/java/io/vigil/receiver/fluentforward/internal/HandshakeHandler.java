package io.vigil.receiver.fluentforward.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;

/**
 * Greets each connection with HELO and lets frames through to the next handler only once the
 * client's PING passed ({@link ForwardHandshake}); then it removes itself, so accepted
 * connections pay nothing per frame. A refused client gets its failed PONG, is counted in
 * {@code vigil_receiver_unauthenticated_requests_total} (and {@code protocol_errors{reason=auth}})
 * and disconnected; nothing it sent reaches the pipeline. An address locked out for repeated
 * failures ({@link FailedHandshakes}) is disconnected before the HELO, so it cannot even try.
 */
public final class HandshakeHandler extends SimpleChannelInboundHandler<byte[]> {

  private final ForwardHandshake handshake;
  private final FailedHandshakes failures;
  private final ReceiverTelemetry telemetry;
  private final Logger log;
  /** Frames the decoder had already cut after a refused PING are dropped, not passed on. */
  private boolean refused;

  public HandshakeHandler(ForwardHandshake handshake, FailedHandshakes failures,
      ReceiverTelemetry telemetry, Logger log) {
    this.handshake = handshake;
    this.failures = failures;
    this.telemetry = telemetry;
    this.log = log;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (failures.locked(address(ctx))) {
      refused = true;
      telemetry.unauthenticated();
      telemetry.protocolError("locked_out");
      log.debug("Refused forward connection from {}: locked out after failed handshakes",
          ctx.channel().remoteAddress());
      ctx.close();
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.helo()));
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] ping) throws Exception {
    if (refused) {
      return;
    }
    ForwardHandshake.Result r = handshake.check(ping);
    if (r.accepted) {
      failures.passed(address(ctx));
      ctx.writeAndFlush(Unpooled.wrappedBuffer(r.pong));
      ctx.pipeline().remove(this);
      return;
    }
    refused = true;
    telemetry.unauthenticated();
    telemetry.protocolError("auth");
    log.warn("Refused forward connection from {}: {}", ctx.channel().remoteAddress(), r.reason);
    if (failures.failed(address(ctx))) {
      log.warn("Locking out {} after repeated failed forward handshakes"
          + " (security::lockout); its connections are closed until the lock-out ends",
          address(ctx));
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(r.pong)).addListener(ChannelFutureListener.CLOSE);
  }

  private static InetAddress address(ChannelHandlerContext ctx) {
    SocketAddress a = ctx.channel().remoteAddress();
    return a instanceof InetSocketAddress i ? i.getAddress() : null;
  }
}
