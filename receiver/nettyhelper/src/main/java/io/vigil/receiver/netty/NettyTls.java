package io.vigil.receiver.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vigil.config.tls.ServerTls;
import javax.net.ssl.SSLException;

/** A server's {@code tls} block as a netty {@link SslContext} and the handler in front. */
public final class NettyTls {

  private NettyTls() {}

  /**
   * The server context. The JDK provider takes the reloading key and trust managers as they are;
   * the context is built once and follows certificate rotations through them.
   */
  public static SslContext serverContext(ServerTls tls) {
    try {
      return SslContextBuilder.forServer(tls.keyManager())
          .sslProvider(SslProvider.JDK)
          .trustManager(tls.clientTrustManager())
          .clientAuth(tls.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE)
          .protocols(tls.protocols())
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("netty cannot make a TLS server context", e);
    }
  }

  /** Puts a TLS handler ahead of what {@code pipeline} installs on each connection. */
  static ChannelInitializer<SocketChannel> first(
      ServerTls tls, ChannelInitializer<SocketChannel> pipeline) {
    SslContext context = serverContext(tls);
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("tls", context.newHandler(ch.alloc())).addLast(pipeline);
      }
    };
  }
}
