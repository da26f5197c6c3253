package io.vigil.receiver.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.vigil.config.tls.ServerTls;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.HostPort;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A netty TCP server as receivers need it: bind to a config endpoint (a failure names the key),
 * report the bound port, and close within a shutdown deadline.
 */
public final class NettyTcpServer {

  private final String endpoint;
  private final String keyPath;
  private final ChannelInitializer<SocketChannel> pipeline;
  private final ServerTls tls;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  /**
   * @param keyPath where {@code endpoint} sits in the component's config, for errors
   * @param pipeline sets up each accepted connection's handlers
   */
  public NettyTcpServer(String endpoint, String keyPath, ChannelInitializer<SocketChannel> pipeline) {
    this(endpoint, keyPath, null, pipeline);
  }

  /**
   * A server that speaks TLS when {@code tls} is set: every connection starts with a TLS
   * handshake (and, with a client CA, a client-certificate check) before {@code pipeline} sees a
   * byte.
   */
  public NettyTcpServer(String endpoint, String keyPath, ServerTls tls,
      ChannelInitializer<SocketChannel> pipeline) {
    this.endpoint = endpoint;
    this.keyPath = keyPath;
    this.pipeline = pipeline;
    this.tls = tls;
  }

  /** Binds; a busy or bad address is a {@link ConfigException} on the key path. */
  public void start() {
    InetSocketAddress address = HostPort.parse(endpoint, keyPath);
    if (tls != null) {
      tls.start();
    }
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    try {
      channel = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .childHandler(tls == null ? pipeline : NettyTls.first(tls, pipeline))
          .bind(address).sync().channel();
    } catch (Exception e) {
      stopLoops();
      if (tls != null) {
        tls.close();
      }
      throw new ConfigException(keyPath, "cannot listen on " + endpoint + ": "
          + (e instanceof BindException ? "address already in use" : String.valueOf(e)), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Closes the port, then the connections, giving in-flight work until the deadline. */
  public void shutdown(Instant deadline) {
    if (channel != null) {
      channel.close().awaitUninterruptibly(
          Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
    }
    stopLoops();
    if (tls != null) {
      tls.close();
    }
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
