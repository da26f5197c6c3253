package io.vigil.receiver.fluentforward;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.Consumer;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Receiver;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.receiver.fluentforward.internal.ForwardHandler;
import io.vigil.receiver.fluentforward.internal.FrameDecoder;
import io.vigil.receiver.fluentforward.internal.SharedKeyHandshake;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/** A netty TCP server speaking the Fluent forward protocol. */
final class FluentForwardReceiver implements Receiver {

  private final FluentForwardConfig config;
  private final Consumer<ExportLogsServiceRequest> consumer;
  private final ReceiverTelemetry telemetry;
  private final Logger log;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  FluentForwardReceiver(ComponentSettings s, FluentForwardConfig config,
      Consumer<ExportLogsServiceRequest> consumer) {
    this.config = config;
    this.consumer = consumer;
    this.telemetry = s.telemetry().receiver(s.id(), "tcp");
    this.log = s.logger(FluentForwardReceiver.class);
  }

  @Override
  public void start() {
    InetSocketAddress address = HostPort.parse(config.endpoint, "endpoint");
    int maxFrame = config.maxFrameSizeMib << 20;
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new FrameDecoder(maxFrame))
                .addLast(new ForwardHandler(consumer, telemetry, maxFrame, handshake(), log));
          }
        });
    try {
      channel = b.bind(address).sync().channel();
    } catch (Exception e) {
      stopLoops();
      throw new ConfigException("endpoint", "cannot listen on " + config.endpoint + ": "
          + (e instanceof BindException ? "address already in use" : String.valueOf(e)), e);
    }
  }

  /** A fresh handshake (its own nonce) per connection, or null when security is off. */
  private SharedKeyHandshake handshake() {
    String key = config.security.sharedKey;
    return key == null || key.isEmpty()
        ? null : new SharedKeyHandshake(key, config.security.selfHostname);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void shutdown(Instant deadline) {
    if (channel != null) {
      channel.close().awaitUninterruptibly(
          Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
    }
    stopLoops();
  }

  private void stopLoops() {
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }
}
