package io.vigil.exporter.vigilstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.elasticsearch.ElasticsearchExporterConfig;
import io.vigil.exporter.elasticsearch.ElasticsearchExporterFactory;
import io.vigil.testing.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query contract on a real OpenSearch 2.19 node started in this JVM, holding what the real
 * {@code elasticsearch} exporter (ECS mode, data streams) wrote of the same traffic.
 */
class SearchEngineTelemetryQueryTest extends TelemetryQueryContract {

  private static OpenSearchRunner runner;
  private static String engineUrl;
  private static Exporter exporter;
  private static SearchEngineTelemetryQuery query;

  @BeforeAll
  static void startOpenSearchAndExport() throws Exception {
    int http = FreePort.pick();
    int transport = FreePort.pick();
    runner = new OpenSearchRunner();
    // The runner probes for a free port itself unless told there is no upper bound.
    runner.setMaxHttpPort(-1);
    runner.onBuild((n, s) -> {
      s.put("network.host", "127.0.0.1");
      s.put("http.port", String.valueOf(http));
      s.put("transport.port", String.valueOf(transport));
    }).build(OpenSearchRunner.newConfigs().numOfNode(1).baseHttpPort(http - 1)
        .disableESLogger());
    runner.ensureYellow();
    engineUrl = "http://127.0.0.1:" + http;

    ElasticsearchExporterFactory factory = new ElasticsearchExporterFactory();
    ElasticsearchExporterConfig config = factory.createDefaultConfig();
    config.endpoint = engineUrl;
    config.dataStream.dataset = "shop";
    // Writes wait until the exporter installed its templates: retry soon after that.
    config.retryOnFailure.initialInterval = Duration.ofMillis(100);
    config.retryOnFailure.maxInterval = Duration.ofSeconds(1);
    factory.validate(config);
    exporter = factory.create(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("elasticsearch"), new GatewayTelemetry()), config,
        Set.of(Signal.TRACES, Signal.LOGS));
    exporter.start();
    exporter.consumer(Signal.TRACES).consume(ShopTraffic.traces()).get();
    exporter.consumer(Signal.LOGS).consume(ShopTraffic.logs()).get();
    // The exporter answers once enqueued; the documents are there once the engine counts them.
    await().atMost(Duration.ofSeconds(60)).until(() -> count("traces-shop-default") == 100
        && count("logs-shop-default") == 23);
    query = new SearchEngineTelemetryQuery(URI.create(engineUrl), "logs-*", "traces-*", "",
        Duration.ofSeconds(10));
  }

  private static long count(String index) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    http.send(HttpRequest.newBuilder(URI.create(engineUrl + "/" + index + "/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create(engineUrl + "/" + index + "/_count")).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200
        ? LuceneDocuments.JSON.readTree(r.body()).path("count").asLong() : -1;
  }

  @AfterAll
  static void stop() throws IOException {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(5));
    }
    if (runner != null) {
      runner.close();
      runner.clean();
    }
  }

  @Override
  TelemetryQuery query() {
    return query;
  }

  @Test
  @Override
  void findsATraceWithItsSpansAcrossServicesAndItsLogs() {
    super.findsATraceWithItsSpansAcrossServicesAndItsLogs();
    // ECS documents keep the failure as error.* and event.outcome, not as span events.
    assertThat(query.trace(ShopTraffic.traceId(6)).orElseThrow().spans().get(4).events())
        .isEmpty();
  }
}
