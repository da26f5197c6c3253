package io.vigil.receiver.otlp.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.vigil.config.tls.ServerTls;
import io.vigil.core.Signal;
import io.vigil.core.auth.ServerAuthenticator;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.receiver.netty.NettyTcpServer;
import java.time.Instant;
import java.util.Map;

/** OTLP/HTTP on netty: codec, keep-alive, aggregation up to the body limit, then the handler. */
public final class OtlpHttpServer {

  private final NettyTcpServer server;

  public OtlpHttpServer(
      String endpoint,
      long maxRequestBodySize,
      ServerTls tls,
      ServerAuthenticator authenticator,
      Map<String, Signal<?>> paths,
      SignalConsumers consumers,
      ReceiverTelemetry telemetry) {
    int maxBody = (int) maxRequestBodySize;
    OtlpHttpHandler.Routes routes = new OtlpHttpHandler.Routes(paths, consumers);
    this.server = new NettyTcpServer(endpoint, "protocols::http::endpoint", tls,
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerKeepAliveHandler());
            if (authenticator != null) {
              ch.pipeline().addLast(new HttpAuthHandler(authenticator, telemetry));
            }
            ch.pipeline()
                .addLast(new HttpObjectAggregator(maxBody))
                .addLast(new OtlpHttpHandler(routes, maxBody, telemetry));
          }
        });
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.port();
  }

  /** Closes the port; requests in progress finish until the deadline. */
  public void shutdown(Instant deadline) {
    server.shutdown(deadline);
  }
}
