package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.testing.TelemetryPayloads;
import io.vigil.core.Consumer;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkProcessor;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.common.xcontent.XContentType;

/**
 * Bulk ingestion into one in-process OpenSearch 2.19 node, in one run: the elasticsearch
 * exporter (ECS documents over HTTP {@code _bulk}, gzip, 4 consumers) against the engine's own
 * Java client {@link BulkProcessor} (node client, same documents, same data stream template,
 * 4 concurrent bulks of the same size). Both write {@code create} operations into
 * {@code logs-*-default} data streams under the template the exporter installs. Run with
 * {@code mvn -q -pl benchmarks exec:java -Dexec.args=200000} (documents per path).
 */
public final class BulkThroughput {

  private static final int BATCH = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int docs = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int http = freePort();
    int transport = freePort();
    OpenSearchRunner runner = new OpenSearchRunner();
    runner.setMaxHttpPort(-1);
    runner.onBuild((n, s) -> {
      s.put("network.host", "127.0.0.1");
      s.put("http.port", String.valueOf(http));
      s.put("transport.port", String.valueOf(transport));
    }).build(OpenSearchRunner.newConfigs().numOfNode(1).baseHttpPort(http - 1).disableESLogger());
    runner.ensureYellow();
    String url = "http://127.0.0.1:" + http;
    try {
      List<ExportLogsServiceRequest> batches = new ArrayList<>();
      TelemetryPayloads payloads = new TelemetryPayloads(7);
      for (int i = 0; i < docs / BATCH; i++) {
        batches.add(payloads.logs(BATCH, System.currentTimeMillis() * 1_000_000L));
      }
      // Warm both paths up (JIT, template, first data streams) before measuring.
      vigil(url, batches.subList(0, Math.min(20, batches.size())), "warmvigil", "gzip");
      nativeClient(runner, url, batches.subList(0, Math.min(20, batches.size())), "warmnative");
      double vigil = vigil(url, batches, "vigil", "gzip");
      double plain = vigil(url, batches, "vigilplain", "none");
      double nativeRate = nativeClient(runner, url, batches, "native");
      System.out.printf(Locale.ROOT, "%n| path | documents | documents/s |%n|---|---|---|%n");
      System.out.printf(Locale.ROOT, "| elasticsearch exporter (HTTP _bulk, gzip) | %d | %.0f |%n",
          batches.size() * BATCH, vigil);
      System.out.printf(Locale.ROOT, "| elasticsearch exporter (HTTP _bulk, uncompressed) | %d | %.0f |%n",
          batches.size() * BATCH, plain);
      System.out.printf(Locale.ROOT, "| OpenSearch BulkProcessor (node client) | %d | %.0f |%n",
          batches.size() * BATCH, nativeRate);
      System.out.printf(Locale.ROOT, "| exporter / BulkProcessor | | %.2f (gzip), %.2f (uncompressed) |%n",
          vigil / nativeRate, plain / nativeRate);
    } finally {
      runner.close();
      runner.clean();
    }
  }

  private static double vigil(String url, List<ExportLogsServiceRequest> batches, String dataset,
      String compression) throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.endpoint = url;
    c.compression = compression;
    c.dataStream.dataset = dataset;
    c.sendingQueue.numConsumers = 4;
    c.sendingQueue.queueSize = batches.size();
    c.timeout = Duration.ofSeconds(60);
    new ElasticsearchExporterFactory().validate(c);
    Exporter e = new ElasticsearchExporterFactory().create(new ComponentSettings(
        ComponentKind.EXPORTER, ComponentId.of("elasticsearch"), new GatewayTelemetry()), c,
        Set.of(Signal.LOGS));
    e.start();
    Consumer<ExportLogsServiceRequest> logs = e.consumer(Signal.LOGS);
    // Templates are installed at start; wait for them so the clock measures ingestion only.
    awaitCount(url, "logs-" + dataset + "-default", -1, Duration.ofSeconds(30));
    long start = System.nanoTime();
    for (ExportLogsServiceRequest b : batches) {
      while (true) {
        try {
          logs.consume(b).get(60, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException full) {
          TimeUnit.MILLISECONDS.sleep(5);
        }
      }
    }
    long expected = (long) batches.size() * BATCH;
    awaitCount(url, "logs-" + dataset + "-default", expected, Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - start) / 1e9;
    e.shutdown(Instant.now().plusSeconds(10));
    return expected / seconds;
  }

  private static double nativeClient(OpenSearchRunner runner, String url,
      List<ExportLogsServiceRequest> batches, String dataset) throws Exception {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    c.dataStream.dataset = dataset;
    BulkDocuments encoder = new BulkDocuments(RecordMapping.forMode("ecs"), IndexNames.logs(c),
        IndexNames.traces(c));
    BulkProcessor bulk = BulkProcessor.builder(runner.client(),
        new BulkProcessor.Listener() {
          @Override
          public void beforeBulk(long id, BulkRequest request) {}

          @Override
          public void afterBulk(long id, BulkRequest request, BulkResponse response) {
            if (response.hasFailures()) {
              System.err.println("native bulk failures: " + response.buildFailureMessage());
            }
          }

          @Override
          public void afterBulk(long id, BulkRequest request, Throwable failure) {
            System.err.println("native bulk failed: " + failure);
          }
        })
        .setBulkActions(BATCH).setConcurrentRequests(4).build();
    // Encoding is inside the clock on both paths: each turns OTLP records into ECS JSON.
    long start = System.nanoTime();
    for (ExportLogsServiceRequest b : batches) {
      for (BulkDocument d : encoder.logs(b)) {
        bulk.add(new IndexRequest(d.index()).id(d.id()).opType(DocWriteRequest.OpType.CREATE)
            .source(d.source(), XContentType.JSON));
      }
    }
    bulk.awaitClose(10, TimeUnit.MINUTES);
    long expected = (long) batches.size() * BATCH;
    awaitCount(url, "logs-" + dataset + "-default", expected, Duration.ofMinutes(10));
    return expected / ((System.nanoTime() - start) / 1e9);
  }

  /** Waits until the target holds {@code expected} documents (-1: until it exists at all). */
  private static void awaitCount(String url, String target, long expected, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (expected < 0) {
        HttpResponse<String> t = HTTP.send(HttpRequest.newBuilder(
            URI.create(url + "/_index_template/vigil-logs")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (t.statusCode() == 200) {
          return;
        }
      } else {
        HTTP.send(HttpRequest.newBuilder(URI.create(url + "/" + target + "/_refresh"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create(url + "/" + target + "/_count")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && JSON.readTree(r.body()).path("count").asLong() >= expected) {
          return;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException(target + " did not reach " + expected + " documents in "
        + limit);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
