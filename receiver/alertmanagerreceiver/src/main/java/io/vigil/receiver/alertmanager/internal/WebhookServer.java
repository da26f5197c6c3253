package io.vigil.receiver.alertmanager.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.config.tls.ServerTls;
import io.vigil.receiver.netty.NettyTcpServer;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The webhook on netty, through the shared {@link NettyTcpServer}: codec, keep-alive,
 * aggregation up to the body limit (larger gets 413 from the aggregator), then the handler.
 */
public final class WebhookServer {

  private final NettyTcpServer server;

  public WebhookServer(String endpoint, ServerTls tls, String path, String authToken, int maxBody,
      SignalConsumers consumers, ReceiverTelemetry telemetry, Logger log, Clock clock) {
    WebhookHandler.Settings settings =
        new WebhookHandler.Settings(path, authToken, consumers, telemetry, log, clock);
    this.server = new NettyTcpServer(endpoint, "endpoint", tls,
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerKeepAliveHandler())
                .addLast(new HttpObjectAggregator(maxBody))
                .addLast(new WebhookHandler(settings));
          }
        });
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.port();
  }

  public void shutdown(Instant deadline) {
    server.shutdown(deadline);
  }
}
