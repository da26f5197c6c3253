package io.vigil.gateway;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenTelemetry Java SDK client: spans made by the SDK's tracer, exported by the SDK's OTLP
 * gRPC exporter one batch at a time, so the test knows exactly which span IDs the gateway
 * acknowledged (the export's result succeeded) and which it refused or never answered.
 */
final class SdkSpanClient implements AutoCloseable {

  /** Span IDs whose export the gateway acknowledged. */
  final Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();
  final AtomicLong acknowledgedBatches = new AtomicLong();
  final AtomicLong failedBatches = new AtomicLong();
  private final List<SpanData> ended = new ArrayList<>();
  private final SdkTracerProvider tracerProvider;
  private final Tracer tracer;
  private final OtlpGrpcSpanExporter exporter;

  SdkSpanClient(String endpoint) {
    tracerProvider = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        synchronized (ended) {
          ended.add(span.toSpanData());
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    }).build();
    tracer = tracerProvider.get("vigil-durable-queue-test");
    // No SDK retries: an export either was acknowledged by this gateway or it was not.
    exporter = OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://" + endpoint)
        .setTimeout(Duration.ofSeconds(5))
        .setRetryPolicy(null)
        .build();
  }

  /** Makes {@code n} spans and exports them as one request; true if acknowledged. */
  boolean sendBatch(int n) {
    List<SpanData> batch;
    synchronized (ended) {
      for (int i = 0; i < n; i++) {
        tracer.spanBuilder("op-" + i).startSpan().end();
      }
      batch = new ArrayList<>(ended);
      ended.clear();
    }
    CompletableResultCode r = exporter.export(batch).join(10, TimeUnit.SECONDS);
    if (!r.isSuccess()) {
      failedBatches.incrementAndGet();
      return false;
    }
    for (SpanData s : batch) {
      acknowledged.add(ByteString.copyFrom(s.getSpanContext().getSpanIdBytes()));
    }
    acknowledgedBatches.incrementAndGet();
    return true;
  }

  @Override
  public void close() {
    exporter.shutdown().join(10, TimeUnit.SECONDS);
    tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
