package io.vigil.receiver.fluentforward;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.receiver.fluentforward.internal.FailedHandshakes;
import io.vigil.receiver.fluentforward.internal.ForwardHandler;
import io.vigil.receiver.fluentforward.internal.FrameDecoder;
import io.vigil.receiver.fluentforward.internal.ForwardHandshake;
import io.vigil.receiver.fluentforward.internal.HandshakeHandler;
import io.vigil.receiver.netty.NettyTcpServer;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;

/** A netty TCP server speaking the Fluent forward protocol. */
final class FluentForwardReceiver implements Receiver {

  private final FluentForwardConfig config;
  private final NettyTcpServer server;

  FluentForwardReceiver(ComponentSettings s, FluentForwardConfig config,
      Consumer<ExportLogsServiceRequest> consumer) {
    this.config = config;
    ReceiverTelemetry telemetry = s.telemetry().receiver(s.id(), "tcp");
    Logger log = s.logger(FluentForwardReceiver.class);
    int maxFrame = config.maxFrameSizeMib << 20;
    FluentForwardConfig.Lockout lockout = config.security.lockout;
    FailedHandshakes failures = new FailedHandshakes(lockout.maxFailures, lockout.window,
        lockout.duration);
    this.server = new NettyTcpServer(config.endpoint, "endpoint",
        config.tls == null ? null : config.tls.load("tls"),
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new FrameDecoder(maxFrame));
            if (config.security.handshakes()) {
              ch.pipeline().addLast(new HandshakeHandler(handshake(), failures, telemetry, log));
            }
            ch.pipeline().addLast(new ForwardHandler(consumer, telemetry, maxFrame, log));
          }
        });
  }

  /** A fresh handshake (its own nonce and salt) per connection. */
  private ForwardHandshake handshake() {
    FluentForwardConfig.Security s = config.security;
    return new ForwardHandshake(s.sharedKey, s.selfHostname, s.userAuth ? s.passwords() : Map.of());
  }

  @Override
  public void start() {
    server.start();
  }

  int port() {
    return server.port();
  }

  @Override
  public void shutdown(Instant deadline) {
    server.shutdown(deadline);
  }
}
