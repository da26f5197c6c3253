package io.vigil.receiver.otlp.internal;

import com.google.rpc.Code;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vigil.core.auth.AuthenticationException;
import io.vigil.core.auth.ServerAuthenticator;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks the authenticator about each request as soon as its headers are decoded, before the body
 * is gathered: a refused client gets 401 and the connection is closed, its body discarded unread
 * by anything downstream, so nothing it sent reaches a pipeline. One instance per connection.
 */
final class HttpAuthHandler extends ChannelInboundHandlerAdapter {

  private final ServerAuthenticator authenticator;
  private final ReceiverTelemetry telemetry;
  private boolean discarding;

  HttpAuthHandler(ServerAuthenticator authenticator, ReceiverTelemetry telemetry) {
    this.authenticator = authenticator;
    this.telemetry = telemetry;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      HttpRequest req = (HttpRequest) msg;
      try {
        authenticator.authenticate(headers(req));
      } catch (AuthenticationException e) {
        discarding = true;
        telemetry.unauthenticated();
        String type = OtlpHttpHandler.JSON.equals(mediaType(req))
            ? OtlpHttpHandler.JSON : OtlpHttpHandler.PROTOBUF;
        OtlpHttpHandler.respondError(ctx, HttpResponseStatus.UNAUTHORIZED,
            Code.UNAUTHENTICATED_VALUE, e.getMessage(), type, false, null);
      }
    }
    if (discarding) {
      boolean last = msg instanceof LastHttpContent;
      ReferenceCountUtil.release(msg);
      if (last) {
        discarding = false;
      }
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static String mediaType(HttpRequest req) {
    String t = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    int semi = t.indexOf(';');
    return (semi < 0 ? t : t.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static Map<String, List<String>> headers(HttpRequest req) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    req.headers().forEach(h -> out.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
        k -> new ArrayList<>()).add(h.getValue()));
    return out;
  }
}
