package io.vigil.testbed.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End to end: this driver → vigil-gateway (its jar, OTLP → batch → OTLP) → a sink here; then,
 * in the same run, the protobuf pass-through limit on one core, and an overload phase with a
 * slow sink to show the memory limiter holding the heap.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "End-to-end gateway throughput, latency, CPU and memory, against the protobuf limit.")
public final class LoadDriver implements Callable<Integer> {

  @Option(names = "--gateway-jar", defaultValue = "gateway/target/vigil-gateway.jar")
  Path gatewayJar;

  @Option(names = "--protocol", defaultValue = "grpc", description = "grpc or http")
  String protocol;

  @Option(names = "--duration", defaultValue = "30", description = "Measured seconds.")
  int seconds;

  @Option(names = "--warmup", defaultValue = "15", description = "Unmeasured seconds first.")
  int warmup;

  @Option(names = "--rate", defaultValue = "0", description = "Items/s; 0 = as fast as accepted.")
  double rate;

  @Option(names = "--concurrency", defaultValue = "8", description = "Requests awaiting an answer at most.")
  int concurrency;

  @Option(names = "--batch", defaultValue = "512", description = "Items per request.")
  int batch;

  @Option(names = "--gateway-cpus", defaultValue = "1",
      description = "taskset CPU list for the gateway ('' = unpinned). Run the driver on the others.")
  String gatewayCpus;

  @Option(names = "--heap", defaultValue = "512m")
  String heap;

  @Option(names = "--overload-seconds", defaultValue = "20",
      description = "Seconds of overload against a slow sink (0 = skip).")
  int overloadSeconds;

  @Option(names = "--queue", defaultValue = "memory",
      description = "memory (batch processor + in-memory queue) or durable (file_storage queue"
          + " with its own batching, no batch processor).")
  String queue;

  @Option(names = "--flush-timeout", defaultValue = "200ms",
      description = "How long a batch waits to fill (durable queue's batch::flush_timeout, or the"
          + " batch processor's timeout); bounds latency below saturation.")
  String flushTimeout;

  @Option(names = "--compression", defaultValue = "none",
      description = "The gateway exporter's compression: none (what the limit compares with) or gzip.")
  String compression;

  @Option(names = "--gateway-java-opts", defaultValue = "",
      description = "Extra JVM options for the gateway, e.g. a JFR recording.")
  String gatewayJavaOpts;

  @Option(names = "--work-dir", defaultValue = "benchmarks/target/load")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    String cpus = gatewayCpus == null || gatewayCpus.isBlank() ? null : gatewayCpus;
    System.out.printf(Locale.ROOT, "protocol=%s batch=%d concurrency=%d rate=%s gateway-cpus=%s heap=%s exporter compression=%s queue=%s%n",
        protocol, batch, concurrency, rate <= 0 ? "max" : String.valueOf(rate), cpus, heap, compression, queue);
    double gatewayRate;
    try (OtlpSink sink = new OtlpSink();
        GatewayProcess gateway = GatewayProcess.start(gatewayJar, heap, gatewayJavaOpts, cpus, sink.port(), compression, true, workDir, queue, flushTimeout);
        LoadGenerator load = new LoadGenerator(protocol, "127.0.0.1",
            protocol.equals("grpc") ? gateway.grpcPort() : gateway.httpPort(), concurrency, batch)) {
      load.run(Duration.ofSeconds(warmup), rate);
      long acceptedBefore = load.accepted();
      long sinkBefore = sink.items();
      sink.latencySinceLastCall();
      Duration cpuBefore = ProcessStats.cpu(gateway.pid());
      long start = System.nanoTime();
      load.run(Duration.ofSeconds(seconds), rate);
      double elapsed = (System.nanoTime() - start) / 1e9;
      Duration cpu = ProcessStats.cpu(gateway.pid()).minus(cpuBefore);
      Histogram latency = sink.latencySinceLastCall();
      long accepted = load.accepted() - acceptedBefore;
      long arrived = sink.items() - sinkBefore;
      gatewayRate = accepted / elapsed;
      System.out.printf(Locale.ROOT, "%n| metric | value |%n|---|---|%n");
      row("accepted items/s", "%.0f", gatewayRate);
      row("items arrived at the sink /s", "%.0f", arrived / elapsed);
      row("refused items (whole run)", "%d", load.refused());
      row("end-to-end latency p50 (ms)", "%.1f", latency.getValueAtPercentile(50) / 1000.0);
      row("end-to-end latency p95 (ms)", "%.1f", latency.getValueAtPercentile(95) / 1000.0);
      row("end-to-end latency p99 (ms)", "%.1f", latency.getValueAtPercentile(99) / 1000.0);
      row("gateway CPU s per million items", "%.2f", cpu.toNanos() / 1e9 / (accepted / 1e6));
      row("gateway CPU utilisation (cores)", "%.2f", cpu.toNanos() / 1e9 / elapsed);
      row("gateway peak RSS (MiB)", "%.0f", ProcessStats.peakRssMib(gateway.pid()));

      if (overloadSeconds > 0) {
        // A backend that answers after 2 s: the queue fills, then the memory limiter must refuse.
        sink.setDelay(Duration.ofSeconds(2));
        double refusedBefore = allSignals(gateway, "otelcol_receiver_refused_");
        long loadRefusedBefore = load.refused();
        load.run(Duration.ofSeconds(overloadSeconds), 0);
        row("overload: items refused to the client", "%d", load.refused() - loadRefusedBefore);
        row("overload: receiver refused items (gateway metric)", "%.0f",
            allSignals(gateway, "otelcol_receiver_refused_") - refusedBefore);
        row("overload: exporter enqueue failures", "%.0f", allSignals(gateway, "otelcol_exporter_enqueue_failed_"));
        row("overload: gateway peak RSS (MiB), heap -Xmx" + heap, "%.0f",
            ProcessStats.peakRssMib(gateway.pid()));
        sink.setDelay(Duration.ZERO);
      }
      double limit = PassThroughLimit.itemsPerSecond(load.pools(), 5_000, 10_000);
      row("protobuf pass-through limit, 1 thread (items/s)", "%.0f", limit);
      row("gateway / limit", "%.2f", gatewayRate / limit);
    }
    return 0;
  }

  private static void row(String name, String format, Object value) {
    System.out.printf(Locale.ROOT, "| %s | " + format + " |%n", name, value);
  }

  /** A Collector per-signal counter summed over its spans, metric_points and log_records. */
  private static double allSignals(GatewayProcess gateway, String prefix)
      throws java.io.IOException, InterruptedException {
    return gateway.metric(prefix + "spans") + gateway.metric(prefix + "metric_points")
        + gateway.metric(prefix + "log_records");
  }
}
