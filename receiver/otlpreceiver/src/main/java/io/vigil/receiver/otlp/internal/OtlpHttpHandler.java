package io.vigil.receiver.otlp.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.CompletableFuture;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.netty.buffer.ByteBufInputStream;
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
import io.vigil.core.ConsumeException;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry.ReceiverTelemetry;
import io.vigil.pdata.OtlpJson;
import io.vigil.pdata.ReceivedBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Handles one OTLP/HTTP request: route, content type, optional gzip (bounded, so a small bomb
 * cannot inflate past the limit), decode, hand to the pipeline, answer per the OTLP spec. The
 * pipeline's answer arrives on another thread; nothing here blocks the event loop.
 */
final class OtlpHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  /** URL path to signal, and each signal's consumer. */
  static final class Routes {
    final Map<String, Signal<?>> paths;
    final SignalConsumers consumers;

    Routes(Map<String, Signal<?>> paths, SignalConsumers consumers) {
      this.paths = Map.copyOf(paths);
      this.consumers = consumers;
    }
  }

  /** A request that cannot be served, with the status that says why. */
  private static final class Rejection extends Exception {
    final HttpResponseStatus status;

    Rejection(HttpResponseStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private final Routes routes;
  private final int maxBody;
  private final ReceiverTelemetry telemetry;

  OtlpHttpHandler(Routes routes, int maxBody, ReceiverTelemetry telemetry) {
    this.routes = routes;
    this.maxBody = maxBody;
    this.telemetry = telemetry;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    String contentType = mediaType(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
    String answerType = JSON.equals(contentType) ? JSON : PROTOBUF;
    try {
      if (!req.decoderResult().isSuccess()) {
        throw new Rejection(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
      }
      Signal<?> signal = routes.paths.get(new QueryStringDecoder(req.uri()).path());
      if (signal == null) {
        throw new Rejection(HttpResponseStatus.NOT_FOUND, "unknown path " + req.uri()
            + "; OTLP/HTTP paths are " + String.join(", ", routes.paths.keySet()));
      }
      if (!HttpMethod.POST.equals(req.method())) {
        throw new Rejection(HttpResponseStatus.METHOD_NOT_ALLOWED,
            req.method() + " is not allowed; OTLP/HTTP uses POST");
      }
      if (!PROTOBUF.equals(contentType) && !JSON.equals(contentType)) {
        throw new Rejection(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported Content-Type \"" + contentType + "\"; use " + PROTOBUF + " or " + JSON);
      }
      byte[] body = body(req);
      serve(ctx, signal, body, answerType, keepAlive);
    } catch (Rejection r) {
      respondError(ctx, r.status, statusCode(r.status), r.getMessage(), answerType, keepAlive, null);
    }
  }

  private <T extends Message> void serve(
      ChannelHandlerContext ctx, Signal<T> signal, byte[] body, String type, boolean keepAlive)
      throws Rejection {
    Consumer<T> consumer = routes.consumers.get(signal);
    CompletableFuture<Message> outcome = null;
    if (consumer != null && PROTOBUF.equals(type)) {
      try {
        // Nothing after this receiver reads the data: check and count, do not decode.
        outcome = Outcome.deliverEncoded(signal, body, consumer, telemetry);
      } catch (InvalidProtocolBufferException e) {
        throw new Rejection(HttpResponseStatus.BAD_REQUEST,
            "body is not a valid OTLP " + signal.name() + " protobuf: " + e.getMessage());
      }
    }
    if (outcome == null) {
      T request = decode(signal, body, type);
      if (consumer == null) {
        throw new Rejection(HttpResponseStatus.NOT_FOUND,
            "no " + signal.name() + " pipeline uses this receiver");
      }
      SocketAddress peer = ctx.channel().remoteAddress();
      outcome = Outcome.deliver(signal, request, consumer, telemetry, peer);
    }
    outcome.whenComplete((ok, err) -> {
      if (err == null) {
        respond(ctx, HttpResponseStatus.OK, encode(ok, type), type, keepAlive, null);
        return;
      }
      ConsumeException e = ConsumeException.from(err);
      Duration delay = e.retryAfter().orElse(Duration.ofSeconds(1));
      switch (e.kind()) {
        case PERMANENT:
          respondError(ctx, HttpResponseStatus.BAD_REQUEST, Code.INVALID_ARGUMENT_VALUE,
              e.getMessage(), type, keepAlive, null);
          break;
        case THROTTLED:
          respondError(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, Code.RESOURCE_EXHAUSTED_VALUE,
              e.getMessage(), type, keepAlive, delay);
          break;
        default:
          respondError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Code.UNAVAILABLE_VALUE,
              e.getMessage(), type, keepAlive, delay);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> T decode(Signal<T> signal, byte[] body, String type)
      throws Rejection {
    try {
      if (JSON.equals(type)) {
        return (T) OtlpJson.merge(body, signal.empty().newBuilderForType()).build();
      }
      // The (inflated) body, kept as in OtlpGrpcServer; not for JSON, whose bytes are not the
      // protobuf encoding.
      return ReceivedBytes.remember(signal.parse(body), body);
    } catch (InvalidProtocolBufferException e) {
      throw new Rejection(HttpResponseStatus.BAD_REQUEST,
          "body is not a valid OTLP " + signal.name() + " protobuf: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Rejection(HttpResponseStatus.BAD_REQUEST, e.getMessage());
    }
  }

  /** The body, inflated when gzip, never larger than the limit. */
  private byte[] body(FullHttpRequest req) throws Rejection {
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity")
        .trim().toLowerCase(Locale.ROOT);
    byte[] raw = new byte[req.content().readableBytes()];
    req.content().getBytes(req.content().readerIndex(), raw);
    if (encoding.isEmpty() || encoding.equals("identity") || encoding.equals("none")) {
      return raw;
    }
    if (!encoding.equals("gzip")) {
      throw new Rejection(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding \"" + encoding + "\"; use gzip or none");
    }
    try (InputStream in = new GZIPInputStream(
        new ByteBufInputStream(Unpooled.wrappedBuffer(raw), true))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBody, raw.length * 4));
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBody) {
          throw new Rejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              "decompressed body exceeds max_request_body_size (" + maxBody + " bytes)");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (ZipException | java.io.EOFException e) {
      throw new Rejection(HttpResponseStatus.BAD_REQUEST, "corrupt gzip body: " + e.getMessage());
    } catch (IOException e) {
      throw new Rejection(HttpResponseStatus.BAD_REQUEST, "unreadable gzip body: " + e);
    }
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] encode(Message m, String type) {
    return JSON.equals(type)
        ? OtlpJson.print(m).getBytes(StandardCharsets.UTF_8)
        : m.toByteArray();
  }

  private static int statusCode(HttpResponseStatus s) {
    if (s.equals(HttpResponseStatus.NOT_FOUND)) {
      return Code.NOT_FOUND_VALUE;
    }
    if (s.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)
        || s.equals(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE)) {
      return Code.UNIMPLEMENTED_VALUE;
    }
    if (s.equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
      return Code.RESOURCE_EXHAUSTED_VALUE;
    }
    return Code.INVALID_ARGUMENT_VALUE;
  }

  static void respondError(ChannelHandlerContext ctx, HttpResponseStatus status, int code,
      String message, String type, boolean keepAlive, Duration retryAfter) {
    com.google.rpc.Status body = com.google.rpc.Status.newBuilder()
        .setCode(code).setMessage(String.valueOf(message)).build();
    respond(ctx, status, encode(body, type), type, keepAlive, retryAfter);
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body,
      String type, boolean keepAlive, Duration retryAfter) {
    FullHttpResponse resp = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(resp, body.length);
    if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
      resp.headers().set(HttpHeaderNames.ALLOW, "POST");
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
    ctx.close();
  }
}
