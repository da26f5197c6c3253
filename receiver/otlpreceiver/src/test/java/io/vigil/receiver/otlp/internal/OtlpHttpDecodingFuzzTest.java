package io.vigil.receiver.otlp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.vigil.core.Consumer;
import io.vigil.core.EncodedConsumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Coverage-guided (Jazzer) over the OTLP/HTTP decoding path: any body, as protobuf or JSON,
 * plain or gzip, to any signal's path, answered with 200 or a 4xx (the documented rejection),
 * never a 5xx, an exception or no answer; and a 200 with items means the pipeline got them.
 * With a consumer that takes bytes, the receiver's wire scan must agree with the protobuf
 * parser: what it hands over parses and holds the items it counted.
 *
 * <p>Input layout (Jazzer's data provider reads small ints from the end): last byte the signal,
 * then JSON?, gzip?, encoded hand-off?; the rest is the body.
 */
class OtlpHttpDecodingFuzzTest {

  private static final int MAX_BODY = 1 << 20;
  private static final List<Signal<?>> SIGNALS = List.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  private static final Map<String, Signal<?>> PATHS =
      Map.of("/v1/traces", Signal.TRACES, "/v1/metrics", Signal.METRICS, "/v1/logs", Signal.LOGS);
  private static final GatewayTelemetry TELEMETRY = new GatewayTelemetry();

  @FuzzTest(maxDuration = "2m")
  void anyBodyIsAnsweredWith200Or4xx(FuzzedDataProvider data) throws Exception {
    Signal<?> signal = SIGNALS.get(data.consumeInt(0, 2));
    boolean json = data.consumeBoolean();
    boolean gzip = data.consumeBoolean();
    boolean encoded = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();

    AtomicInteger delivered = new AtomicInteger();
    Counting consumer = new Counting(signal, encoded, delivered);
    SignalConsumers consumers = SignalConsumers.builder()
        .put(Signal.TRACES, consumer.as(Signal.TRACES))
        .put(Signal.METRICS, consumer.as(Signal.METRICS))
        .put(Signal.LOGS, consumer.as(Signal.LOGS))
        .build();
    EmbeddedChannel ch = new EmbeddedChannel(new OtlpHttpHandler(
        new OtlpHttpHandler.Routes(PATHS, consumers), MAX_BODY,
        TELEMETRY.receiver(ComponentId.of("otlp"), "http")));
    String path = PATHS.entrySet().stream().filter(e -> e.getValue() == signal)
        .findFirst().orElseThrow().getKey();
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
        Unpooled.wrappedBuffer(body));
    req.headers().set(HttpHeaderNames.CONTENT_TYPE,
        json ? OtlpHttpHandler.JSON : OtlpHttpHandler.PROTOBUF);
    if (gzip) {
      req.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
    }
    ch.writeInbound(req);
    FullHttpResponse resp = ch.readOutbound();
    try {
      assertThat(resp).as("every request gets an answer").isNotNull();
      int status = resp.status().code();
      assertThat(status).as("status").isIn(200, 400, 413);
      if (status != 200) {
        assertThat(delivered).as("a refused request enters no pipeline").hasValue(0);
      }
      assertThat(ch.isOpen()).as("the connection survives a bad body").isTrue();
    } finally {
      resp.release();
      ch.finishAndReleaseAll();
    }
  }

  /** Accepts everything; as an encoded consumer, checks what the wire scan hands over. */
  private static final class Counting implements Consumer<Object>, EncodedConsumer {
    private final Signal<?> signal;
    private final boolean encoded;
    private final AtomicInteger delivered;

    Counting(Signal<?> signal, boolean encoded, AtomicInteger delivered) {
      this.signal = signal;
      this.encoded = encoded;
      this.delivered = delivered;
    }

    @SuppressWarnings("unchecked")
    <T extends Message> Consumer<T> as(Signal<T> s) {
      return (Consumer<T>) (Consumer<?>) this;
    }

    @Override
    public CompletableFuture<Void> consume(Object batch) {
      assertThat(batch).isInstanceOf(signal.empty().getClass());
      delivered.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean takesEncoded() {
      return encoded;
    }

    @Override
    public CompletableFuture<Void> consumeEncoded(byte[] request, int items) {
      assertThat(parsedItems(signal, request)).as("items counted by the wire scan")
          .isEqualTo(items);
      delivered.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }

    private static <T extends Message> int parsedItems(Signal<T> s, byte[] request) {
      try {
        return s.itemCount(s.parse(request));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the wire scan passed bytes the parser refuses", e);
      }
    }
  }
}
