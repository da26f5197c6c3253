package io.vigil.testbed.load;

import io.vigil.testing.kafka.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two gateway tiers, each gateway from its jar: spans at a fixed rate from this driver to tier 1,
 * tier 2 exporting to a sink here; the CPU each tier's processes used per million spans in the
 * measured interval. {@code kafka}: tier 1 {@code otlp → kafka} exporter, a real KRaft broker,
 * tier 2 {@code kafka} receiver {@code → otlp}. {@code loadbalancing}: tier 1 {@code otlp →
 * loadbalancing} (trace ID, static resolver), tier 2 two {@code tail_sampling} gateways.
 */
@Command(name = "tiers", mixinStandardHelpOptions = true,
    description = "CPU per million spans of each tier of a two-tier set-up (kafka or loadbalancing).")
public final class TierLoad implements Callable<Integer> {

  @Option(names = "--topology", required = true, description = "kafka or loadbalancing")
  String topology;

  @Option(names = "--gateway-jar", defaultValue = "distribution/gateway/target/vigil-gateway.jar",
      description = "The gateway's jar, or a class path holding io.vigil.gateway.VigilGateway.")
  Path gatewayJar;

  @Option(names = "--rate", defaultValue = "20000", description = "Spans/s sent to tier 1.")
  double rate;

  @Option(names = "--duration", defaultValue = "30", description = "Measured seconds.")
  int seconds;

  @Option(names = "--warmup", defaultValue = "30", description = "Unmeasured seconds first.")
  int warmup;

  @Option(names = "--concurrency", defaultValue = "8")
  int concurrency;

  @Option(names = "--batch", defaultValue = "512", description = "Spans per request.")
  int batch;

  @Option(names = "--samplers", defaultValue = "2", description = "loadbalancing: tier 2 gateways.")
  int samplers;

  @Option(names = "--heap", defaultValue = "512m")
  String heap;

  @Option(names = "--gateway-java-opts", defaultValue = "")
  String javaOpts;

  @Option(names = "--work-dir", defaultValue = "testbed/target/tiers")
  Path workDir;

  @Option(names = "--broker-start-attempts", defaultValue = "3", description = "kafka: brokers"
      + " started one after the other until one answers, each given 3 minutes (on a loaded"
      + " machine the KRaft controller can miss its first registration deadlines).")
  int brokerStartAttempts;

  /**
   * A broker that answers, after at most {@code --broker-start-attempts} tries of 3 minutes
   * each (KafkaBroker's own bound): longer than one try, and still bounded.
   */
  private KafkaBroker startBroker() {
    for (int attempt = 1; ; attempt++) {
      try {
        return KafkaBroker.start();
      } catch (IllegalStateException e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        System.out.printf(Locale.ROOT, "Kafka broker start %d of %d failed: %s%n", attempt,
            brokerStartAttempts, first);
        if (attempt >= brokerStartAttempts) {
          throw e;
        }
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    System.out.printf(Locale.ROOT, "topology=%s rate=%.0f spans/s batch=%d duration=%ds"
        + " warmup=%ds heap=%s%n", topology, rate, batch, seconds, warmup, heap);
    List<AutoCloseable> open = new ArrayList<>();
    try (OtlpSink sink = new OtlpSink()) {
      Map<String, List<Long>> tiers = new LinkedHashMap<>();
      GatewayProcess entry;
      if (topology.equals("kafka")) {
        KafkaBroker broker = startBroker();
        open.add(0, broker);
        broker.createTopic("otlp_spans", 4);
        entry = start(open, "producer", (grpc, http, admin) -> String.join("\n",
            receiver(grpc),
            "exporters:",
            "  kafka: {brokers: ['" + broker.bootstrapServers() + "'],"
                + " partition_traces_by_id: true}",
            pipeline("kafka", admin)));
        GatewayProcess consumer = start(open, "consumer", (grpc, http, admin) -> String.join("\n",
            "receivers:",
            "  kafka: {brokers: ['" + broker.bootstrapServers() + "'], group_id: vigil-tier-2,"
                + " initial_offset: earliest}",
            sinkExporter(sink),
            "service:",
            "  telemetry: {metrics: {address: '127.0.0.1:" + admin + "'}}",
            "  pipelines: {traces: {receivers: [kafka], exporters: [otlp]}}"));
        tiers.put("tier 1: otlp → kafka exporter", List.of(entry.pid()));
        tiers.put("Kafka broker (KRaft, one node)", List.of(broker.pid()));
        tiers.put("tier 2: kafka receiver → otlp", List.of(consumer.pid()));
      } else if (topology.equals("loadbalancing")) {
        List<String> endpoints = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < samplers; i++) {
          GatewayProcess s = start(open, "sampler-" + i, (grpc, http, admin) -> String.join("\n",
              receiver(grpc),
              "processors:",
              "  tail_sampling:",
              "    decision_wait: 2s",
              "    policies:",
              "      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}",
              "      - {name: some, type: probabilistic, probabilistic: {sampling_percentage: 10}}",
              sinkExporter(sink),
              "service:",
              "  telemetry: {metrics: {address: '127.0.0.1:" + admin + "'}}",
              "  pipelines: {traces: {receivers: [otlp], processors: [tail_sampling],"
                  + " exporters: [otlp]}}"));
          endpoints.add("127.0.0.1:" + s.grpcPort());
          pids.add(s.pid());
        }
        entry = start(open, "balancer", (grpc, http, admin) -> String.join("\n",
            receiver(grpc),
            "exporters:",
            "  loadbalancing:",
            "    protocol: {otlp: {tls: {insecure: true}, compression: none}}",
            "    resolver: {static: {hostnames: ['" + String.join("', '", endpoints) + "']}}",
            pipeline("loadbalancing", admin)));
        tiers.put("tier 1: otlp → loadbalancing", List.of(entry.pid()));
        tiers.put("tier 2: " + samplers + " × otlp → tail_sampling → otlp", pids);
      } else {
        throw new IllegalArgumentException("--topology must be kafka or loadbalancing");
      }
      try (LoadGenerator load = new LoadGenerator("grpc", "127.0.0.1", entry.grpcPort(),
          concurrency, batch, true)) {
        load.run(Duration.ofSeconds(warmup), rate);
        long acceptedBefore = load.accepted();
        long sinkBefore = sink.items();
        Map<String, Duration> cpuBefore = cpu(tiers);
        long start = System.nanoTime();
        load.run(Duration.ofSeconds(seconds), rate);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Duration> cpuAfter = cpu(tiers);
        long accepted = load.accepted() - acceptedBefore;
        long arrived = sink.items() - sinkBefore;
        System.out.printf(Locale.ROOT, "%n| metric | value |%n|---|---|%n");
        row("spans accepted by tier 1 /s", "%.0f", accepted / elapsed);
        row("spans arrived at the sink /s", "%.0f", arrived / elapsed);
        row("spans refused to the driver (whole run)", "%d", load.refused());
        for (String tier : tiers.keySet()) {
          double cpuSeconds = cpuAfter.get(tier).minus(cpuBefore.get(tier)).toNanos() / 1e9;
          row(tier + ": CPU s per million spans sent", "%.2f", cpuSeconds / (accepted / 1e6));
          row(tier + ": CPU used (cores)", "%.2f", cpuSeconds / elapsed);
        }
      }
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
    }
    return 0;
  }

  private GatewayProcess start(List<AutoCloseable> open, String name,
      GatewayProcess.ConfigText config) throws Exception {
    GatewayProcess g = GatewayProcess.start(gatewayJar, heap, javaOpts, null, workDir, name,
        config);
    open.add(0, g);
    return g;
  }

  private static String receiver(int grpc) {
    return "receivers:\n  otlp: {protocols: {grpc: {endpoint: '127.0.0.1:" + grpc + "'}}}";
  }

  private static String sinkExporter(OtlpSink sink) {
    return "exporters:\n  otlp: {endpoint: '127.0.0.1:" + sink.port() + "', tls: {insecure: true},"
        + " compression: none}";
  }

  private static String pipeline(String exporter, int admin) {
    return "service:\n  telemetry: {metrics: {address: '127.0.0.1:" + admin + "'}}\n"
        + "  pipelines: {traces: {receivers: [otlp], exporters: [" + exporter + "]}}";
  }

  private static Map<String, Duration> cpu(Map<String, List<Long>> tiers) {
    Map<String, Duration> out = new LinkedHashMap<>();
    tiers.forEach((tier, pids) -> out.put(tier, pids.stream().map(ProcessStats::cpu)
        .reduce(Duration.ZERO, Duration::plus)));
    return out;
  }

  private static void row(String name, String format, Object value) {
    System.out.printf(Locale.ROOT, "| %s | " + format + " |%n", name, value);
  }
}
