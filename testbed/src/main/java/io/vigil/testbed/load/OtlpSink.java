package io.vigil.testbed.load;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.vigil.core.Signal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The destination at the end of the pipeline under test: an OTLP gRPC server that counts items
 * and records, for each probe item, the time from the driver's send to its arrival here. It can
 * answer late ({@link #setDelay}) to play a slow backend.
 */
public final class OtlpSink implements AutoCloseable {

  private final Server server;
  private final LongAdder spans = new LongAdder();
  private final LongAdder logs = new LongAdder();
  private final LongAdder points = new LongAdder();
  /** Microseconds from send to arrival, up to an hour. */
  private final Recorder latency = new Recorder(3_600_000_000L, 3);
  private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sink-delay");
    t.setDaemon(true);
    return t;
  });
  private volatile Duration delay = Duration.ZERO;

  public OtlpSink() throws IOException {
    ServerServiceDefinition.Builder traces = ServerServiceDefinition.builder(
        "opentelemetry.proto.collector.trace.v1.TraceService");
    ServerServiceDefinition.Builder logsService = ServerServiceDefinition.builder(
        "opentelemetry.proto.collector.logs.v1.LogsService");
    ServerServiceDefinition.Builder metrics = ServerServiceDefinition.builder(
        "opentelemetry.proto.collector.metrics.v1.MetricsService");
    traces.addMethod(RawOtlp.export(Signal.TRACES), ServerCalls.asyncUnaryCall(
        (req, out) -> handle(req, out, ItemWalker::traces, spans)));
    logsService.addMethod(RawOtlp.export(Signal.LOGS), ServerCalls.asyncUnaryCall(
        (req, out) -> handle(req, out, ItemWalker::logs, logs)));
    metrics.addMethod(RawOtlp.export(Signal.METRICS), ServerCalls.asyncUnaryCall(
        (req, out) -> handle(req, out, ItemWalker::metrics, points)));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .maxInboundMessageSize(64 * 1024 * 1024)
        .addService(traces.build())
        .addService(logsService.build())
        .addService(metrics.build())
        .build()
        .start();
  }

  private interface Walk {
    void walk(byte[] request, ItemWalker.Visitor v) throws IOException;
  }

  private void handle(byte[] request, StreamObserver<byte[]> out, Walk walk, LongAdder counter) {
    long now = nowNanos();
    try {
      walk.walk(request, new ItemWalker.Visitor() {
        @Override
        public void items(int n) {
          counter.add(n);
        }

        @Override
        public void probe(long sentNanos) {
          record(now, sentNanos);
        }
      });
    } catch (IOException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    // An empty Export*ServiceResponse encodes to no bytes.
    answer(out, new byte[0]);
  }

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private void record(long now, long sentNanos) {
    long micros = Math.max(0, (now - sentNanos) / 1000);
    latency.recordValue(Math.min(micros, 3_600_000_000L));
  }

  private <R> void answer(StreamObserver<R> out, R response) {
    Duration d = delay;
    if (d.isZero()) {
      out.onNext(response);
      out.onCompleted();
    } else {
      late.schedule(() -> {
        out.onNext(response);
        out.onCompleted();
      }, d.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  public void setDelay(Duration delay) {
    this.delay = delay;
  }

  public int port() {
    return server.getPort();
  }

  public long items() {
    return spans.sum() + logs.sum() + points.sum();
  }

  /** Send-to-arrival latency of probes since the last call, in microseconds. */
  public org.HdrHistogram.Histogram latencySinceLastCall() {
    return latency.getIntervalHistogram();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    late.shutdownNow();
  }
}
