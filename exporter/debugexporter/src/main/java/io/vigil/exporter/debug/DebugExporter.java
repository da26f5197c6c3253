package io.vigil.exporter.debug;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Writes what reaches it to the gateway's log, for people looking at a pipeline. */
final class DebugExporter implements Exporter {

  private final DebugExporterConfig config;
  private final Logger log;
  private final AtomicLong second = new AtomicLong();
  private final AtomicLong inSecond = new AtomicLong();

  DebugExporter(ComponentSettings settings, DebugExporterConfig config) {
    this.config = config;
    this.log = settings.logger(DebugExporter.class);
  }

  @Override
  public <T extends Message> Consumer<T> consumer(Signal<T> signal) {
    return batch -> {
      if (sampled()) {
        write(signal, batch);
      }
      return CompletableFuture.completedFuture(null);
    };
  }

  /** The collector's sampling: the first n per second, then every m-th. */
  private boolean sampled() {
    long now = System.currentTimeMillis() / 1000;
    if (second.getAndSet(now) != now) {
      inSecond.set(0);
    }
    long n = inSecond.incrementAndGet();
    return n <= config.samplingInitial
        || (n - config.samplingInitial) % Math.max(1, config.samplingThereafter) == 0;
  }

  private <T extends Message> void write(Signal<T> signal, T batch) {
    log.info("{}: {} {}", signal.name(), signal.itemCount(batch), signal.itemName());
    if (config.verbosity.equals("basic")) {
      return;
    }
    if (config.verbosity.equals("detailed")) {
      log.info("{}", TextFormat.printer().printToString(batch));
      return;
    }
    if (batch instanceof ExportTraceServiceRequest) {
      ((ExportTraceServiceRequest) batch).getResourceSpansList().forEach(rs ->
          rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s ->
              log.info("span {} trace={} span={} kind={} status={}", s.getName(),
                  hex(s.getTraceId().toByteArray()), hex(s.getSpanId().toByteArray()),
                  s.getKind(), s.getStatus().getCode()))));
    } else if (batch instanceof ExportLogsServiceRequest) {
      ((ExportLogsServiceRequest) batch).getResourceLogsList().forEach(rl ->
          rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList().forEach(r ->
              log.info("log {} {} trace={}", r.getSeverityText(), text(r.getBody()),
                  hex(r.getTraceId().toByteArray())))));
    } else {
      ((io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest) batch)
          .getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm ->
              sm.getMetricsList().forEach(m -> log.info("metric {} {} points={}", m.getName(),
                  m.getDataCase(), Signal.dataPoints(m)))));
    }
  }

  private static String text(AnyValue v) {
    return v.hasStringValue() ? v.getStringValue() : TextFormat.shortDebugString(v);
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
