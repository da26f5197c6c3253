package io.vigil.receiver.otlp.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.vigil.core.Signal;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** OTLP/HTTP on netty: codec, keep-alive, aggregation up to the body limit, then the handler. */
public final class OtlpHttpServer {

  private final String endpoint;
  private final InetSocketAddress address;
  private final int maxBody;
  private final OtlpHttpHandler.Routes routes;
  private final ReceiverTelemetry telemetry;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  public OtlpHttpServer(
      String endpoint,
      long maxRequestBodySize,
      Map<String, Signal<?>> paths,
      SignalConsumers consumers,
      ReceiverTelemetry telemetry) {
    this.endpoint = endpoint;
    this.address = HostPort.parse(endpoint, "protocols::http::endpoint");
    this.maxBody = (int) maxRequestBodySize;
    this.routes = new OtlpHttpHandler.Routes(paths, consumers);
    this.telemetry = telemetry;
  }

  public void start() {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerKeepAliveHandler())
                .addLast(new HttpObjectAggregator(maxBody))
                .addLast(new OtlpHttpHandler(routes, maxBody, telemetry));
          }
        });
    try {
      channel = b.bind(address).sync().channel();
    } catch (Exception e) {
      stopLoops();
      throw new ConfigException("protocols::http::endpoint", "cannot listen on " + endpoint + ": "
          + (e instanceof BindException ? "address already in use" : String.valueOf(e)), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Closes the port; requests in progress finish until the deadline. */
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
