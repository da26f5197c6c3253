package io.vigil.testbed.load;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.vigil.testing.TelemetryPayloads;
import io.vigil.core.Signal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a fixed pool of realistic OTLP requests — traces, logs, traces, logs, metrics, round and
 * round — over gRPC or HTTP, with at most {@code concurrency} requests awaiting an answer, at a
 * given item rate or as fast as the receiver accepts. Each request's first item is a probe
 * stamped with the send time, for the sink's latency measurement.
 */
public final class LoadGenerator implements AutoCloseable {

  /** The order requests go out in. */
  private static final List<Signal<?>> MIX =
      List.of(Signal.TRACES, Signal.LOGS, Signal.TRACES, Signal.LOGS, Signal.METRICS);

  private final String protocol;
  private final List<Signal<?>> mix;
  private final boolean freshTraceIds;
  private final ManagedChannel channel;
  private final HttpClient http;
  private final String host;
  private final int port;
  private final int concurrency;
  private final java.util.Map<Signal<?>, MethodDescriptor<byte[], byte[]>> methods = java.util.Map.of(
      Signal.TRACES, RawOtlp.export(Signal.TRACES), Signal.LOGS, RawOtlp.export(Signal.LOGS),
      Signal.METRICS, RawOtlp.export(Signal.METRICS));
  /** Fills the probe's fixed64 timestamp before encoding; found and overwritten in the bytes. */
  private static final long MARKER = 0x7E57_1234_5678_7E57L;

  private final List<List<? extends Message>> pools = new ArrayList<>();
  private final List<List<Encoded>> encoded = new ArrayList<>();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder requests = new LongAdder();

  /**
   * @param protocol grpc or http
   * @param port the gateway's OTLP port for that protocol
   * @param batch items per request (spans, log records, data points)
   */
  public LoadGenerator(String protocol, String host, int port, int concurrency, int batch) {
    this(protocol, host, port, concurrency, batch, false);
  }

  /**
   * @param freshTraceIds traces only, each request's trace IDs new (its number in the first 8
   *     bytes): for tail sampling and trace-ID routing, where the pool's IDs coming round again
   *     would meet their traces still buffered or decided. Latency probes are not stamped.
   */
  public LoadGenerator(String protocol, String host, int port, int concurrency, int batch,
      boolean freshTraceIds) {
    this.protocol = protocol;
    this.freshTraceIds = freshTraceIds;
    this.mix = freshTraceIds ? List.of(Signal.TRACES) : MIX;
    this.host = host;
    this.port = port;
    this.concurrency = concurrency;
    if (protocol.equals("grpc")) {
      channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
          .maxInboundMessageSize(16 * 1024 * 1024).build();
      http = null;
    } else if (protocol.equals("http")) {
      channel = null;
      http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    } else {
      throw new IllegalArgumentException("protocol must be grpc or http, not " + protocol);
    }
    TelemetryPayloads payloads = new TelemetryPayloads(42);
    long now = OtlpSink.nowNanos();
    List<ExportTraceServiceRequest> traces = new ArrayList<>();
    List<ExportLogsServiceRequest> logs = new ArrayList<>();
    List<ExportMetricsServiceRequest> metrics = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ExportTraceServiceRequest t = payloads.traces(batch, now);
      ExportTraceServiceRequest.Builder tb = t.toBuilder();
      tb.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0)
          .setName(TelemetryPayloads.PROBE).setEndTimeUnixNano(MARKER);
      traces.add(tb.build());
      ExportLogsServiceRequest.Builder lb = payloads.logs(batch, now).toBuilder();
      lb.getResourceLogsBuilder(0).getScopeLogsBuilder(0).getLogRecordsBuilder(0)
          .setBody(AnyValue.newBuilder().setStringValue(TelemetryPayloads.PROBE))
          .setTimeUnixNano(MARKER);
      logs.add(lb.build());
      metrics.add(payloads.metrics(batch, now));
    }
    pools.add(traces);
    pools.add(logs);
    pools.add(metrics);
    for (List<? extends Message> pool : pools) {
      List<Encoded> enc = new ArrayList<>();
      for (Message m : pool) {
        byte[] b = m.toByteArray();
        enc.add(new Encoded(b, markerOffset(b)));
      }
      encoded.add(enc);
    }
  }

  /** A request's bytes and where its probe's timestamp sits in them (-1: no probe). */
  private record Encoded(byte[] bytes, int probeOffset) {}

  private static int markerOffset(byte[] b) {
    outer:
    for (int i = 0; i + 8 <= b.length; i++) {
      for (int k = 0; k < 8; k++) {
        if (b[i + k] != (byte) (MARKER >>> (8 * k))) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The requests this generator sends, one list per signal: for the pass-through limit. */
  public List<List<? extends Message>> pools() {
    return pools;
  }

  public double itemsPerRequest() {
    long items = 0;
    long n = 0;
    for (Signal<?> s : mix) {
      items += count(s, pool(s).get(0));
      n++;
    }
    return (double) items / n;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Message> int count(Signal<T> s, Message m) {
    return s.itemCount((T) m);
  }

  private List<? extends Message> pool(Signal<?> s) {
    return s == Signal.TRACES ? pools.get(0) : s == Signal.LOGS ? pools.get(1) : pools.get(2);
  }

  /**
   * Sends for {@code duration}; {@code itemsPerSecond} 0 means as fast as answers come back.
   * Returns once every request sent has been answered.
   */
  public void run(Duration duration, double itemsPerSecond) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    double intervalNanos = itemsPerSecond <= 0 ? 0 : 1e9 * itemsPerRequest() / itemsPerSecond;
    long n = 0;
    while (System.nanoTime() < end) {
      if (intervalNanos > 0) {
        long due = start + (long) (n * intervalNanos);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      Signal<?> signal = mix.get((int) (n % mix.size()));
      int index = (int) ((n / mix.size()) % 16);
      int items = count(signal, pool(signal).get(index));
      byte[] request = freshTraceIds
          ? renumbered((ExportTraceServiceRequest) pool(signal).get(index), n)
          : stamp(encoded(signal).get(index));
      send(signal, request).whenComplete((ok, error) -> {
        requests.increment();
        if (error == null && ok) {
          accepted.add(items);
        } else {
          refused.add(items);
        }
        // Last: run() returns once every permit is back, and the counts must be in by then.
        inFlight.release();
      });
      n++;
    }
    inFlight.acquire(concurrency);
    inFlight.release(concurrency);
  }

  private List<Encoded> encoded(Signal<?> s) {
    return s == Signal.TRACES ? encoded.get(0) : s == Signal.LOGS ? encoded.get(1) : encoded.get(2);
  }

  /** The request with every trace ID's first 8 bytes set to {@code n}. */
  private static byte[] renumbered(ExportTraceServiceRequest r, long n) {
    ExportTraceServiceRequest.Builder b = r.toBuilder();
    byte[] prefix = java.nio.ByteBuffer.allocate(8).putLong(n).array();
    b.getResourceSpansBuilderList().forEach(rs -> rs.getScopeSpansBuilderList().forEach(ss ->
        ss.getSpansBuilderList().forEach(span -> {
          byte[] id = span.getTraceId().toByteArray();
          System.arraycopy(prefix, 0, id, 0, 8);
          span.setTraceId(com.google.protobuf.ByteString.copyFrom(id));
        })));
    return b.build().toByteArray();
  }

  /** A copy of the request with the probe stamped with now (little-endian fixed64). */
  private static byte[] stamp(Encoded e) {
    if (e.probeOffset < 0) {
      return e.bytes;
    }
    byte[] copy = e.bytes.clone();
    long now = OtlpSink.nowNanos();
    for (int k = 0; k < 8; k++) {
      copy[e.probeOffset + k] = (byte) (now >>> (8 * k));
    }
    return copy;
  }

  private CompletableFuture<Boolean> send(Signal<?> signal, byte[] request) {
    return protocol.equals("grpc") ? sendGrpc(signal, request) : sendHttp(signal, request);
  }

  private CompletableFuture<Boolean> sendGrpc(Signal<?> signal, byte[] request) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Futures.addCallback(
        ClientCalls.futureUnaryCall(channel.newCall(methods.get(signal), CallOptions.DEFAULT), request),
        new FutureCallback<byte[]>() {
          @Override
          public void onSuccess(byte[] result) {
            done.complete(true);
          }

          @Override
          public void onFailure(Throwable t) {
            done.complete(false);
          }
        }, MoreExecutors.directExecutor());
    return done;
  }

  private CompletableFuture<Boolean> sendHttp(Signal<?> signal, byte[] request) {
    String path = signal == Signal.TRACES ? "/v1/traces" : signal == Signal.LOGS ? "/v1/logs" : "/v1/metrics";
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
    return http.sendAsync(r, HttpResponse.BodyHandlers.discarding())
        .handle((resp, error) -> error == null && resp.statusCode() == 200);
  }

  public long accepted() {
    return accepted.sum();
  }

  public long refused() {
    return refused.sum();
  }

  public long requests() {
    return requests.sum();
  }

  @Override
  public void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
