package io.vigil.receiver.alertmanager.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;

/**
 * Handles one webhook request: path, method, token, parse, hand the alerts' records to the
 * pipeline, answer. Alertmanager retries a notification on 5xx (and 429) and gives up on other
 * 4xx, so a payload that can never be read is a 400 and a pipeline that is full is a 503 or 429
 * with Retry-After. The pipeline's answer arrives on another thread; nothing here blocks the
 * event loop.
 */
final class WebhookHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What every connection's handler shares. */
  record Settings(String path, byte[] expectedAuthorization, SignalConsumers consumers,
      ReceiverTelemetry telemetry, Logger log, Clock clock) {
    Settings(String path, String token, SignalConsumers consumers, ReceiverTelemetry telemetry,
        Logger log, Clock clock) {
      this(path, token.isEmpty() ? null
          : ("Bearer " + token).getBytes(StandardCharsets.UTF_8), consumers, telemetry, log,
          clock);
    }
  }

  private final Settings s;

  WebhookHandler(Settings settings) {
    this.s = settings;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      respond(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request", keepAlive, null);
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    if (!path.equals(s.path())) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, "unknown path " + path
          + "; the Alertmanager webhook is at " + s.path(), keepAlive, null);
      return;
    }
    if (!HttpMethod.POST.equals(req.method())) {
      respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED,
          req.method() + " is not allowed; Alertmanager's webhook uses POST", keepAlive, null);
      return;
    }
    if (s.expectedAuthorization() != null) {
      String given = req.headers().get(HttpHeaderNames.AUTHORIZATION);
      // Constant-time, so the token cannot be guessed byte by byte from response times.
      if (given == null || !MessageDigest.isEqual(s.expectedAuthorization(),
          given.getBytes(StandardCharsets.UTF_8))) {
        respond(ctx, HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token",
            keepAlive, null);
        return;
      }
    }
    byte[] body = new byte[req.content().readableBytes()];
    req.content().getBytes(req.content().readerIndex(), body);
    WebhookPayload payload;
    try {
      payload = WebhookPayloadParser.parse(body);
    } catch (PayloadException e) {
      respond(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage(), keepAlive, null);
      return;
    }
    ExportLogsServiceRequest records = AlertRecords.of(payload, s.clock().instant());
    int items = payload.alerts().size();
    Consumer<ExportLogsServiceRequest> consumer = s.consumers().get(Signal.LOGS);
    if (consumer == null) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, "no logs pipeline uses this receiver",
          keepAlive, null);
      return;
    }
    if (items == 0) {
      respond(ctx, HttpResponseStatus.OK, "no alerts", keepAlive, null);
      return;
    }
    CompletableFuture<Void> done;
    try {
      done = consumer.consume(records);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((ok, err) -> {
      if (err == null) {
        s.telemetry().accepted(Signal.LOGS, items);
        respond(ctx, HttpResponseStatus.OK, items + " alert(s) accepted", keepAlive, null);
        return;
      }
      s.telemetry().refused(Signal.LOGS, items);
      ConsumeException e = ConsumeException.from(err);
      Duration delay = e.retryAfter().orElse(Duration.ofSeconds(1));
      switch (e.kind()) {
        case PERMANENT -> respond(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage(),
            keepAlive, null);
        case THROTTLED -> respond(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, e.getMessage(),
            keepAlive, delay);
        default -> respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage(),
            keepAlive, delay);
      }
    });
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status,
      String message, boolean keepAlive, Duration retryAfter) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("status", status.code(),
          "message", String.valueOf(message)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      body = ("{\"status\":" + status.code() + "}").getBytes(StandardCharsets.UTF_8);
    }
    FullHttpResponse resp = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(resp, body.length);
    if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
      resp.headers().set(HttpHeaderNames.ALLOW, "POST");
    }
    if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
      resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigil-alertmanager\"");
    }
    if (retryAfter != null) {
      resp.headers().set(HttpHeaderNames.RETRY_AFTER,
          String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }
    HttpUtil.setKeepAlive(resp, keepAlive);
    var f = ctx.writeAndFlush(resp);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    s.log().debug("alertmanager webhook: connection closed after {}", cause.toString());
    ctx.close();
  }
}
