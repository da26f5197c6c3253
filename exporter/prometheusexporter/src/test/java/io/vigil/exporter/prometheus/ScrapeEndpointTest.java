package io.vigil.exporter.prometheus;

import static io.vigil.exporter.prometheus.OtlpMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter over HTTP: content negotiation, exemplars only where the format has them. */
class ScrapeEndpointTest {

  private PrometheusExporter exporter;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    PrometheusExporterConfig config = new PrometheusExporterConfig();
    config.endpoint = "127.0.0.1:0";
    exporter = new PrometheusExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("prometheus"), new GatewayTelemetry()), config, Clock.systemUTC());
    exporter.start();
    exporter.consumer(Signal.METRICS).consume(request(checkout(), histogram("rpc.duration", "s",
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        histogramPoint(T0, T0 + SECOND, List.of(0.1, 1.0), List.of(1L, 0L, 0L), 0.05,
            exemplar(0.05, T0 + SECOND))))).join();
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now());
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + exporter.address().getPort() + path));
    if (accept != null) {
      r.header("Accept", accept);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesOpenMetricsWithExemplarsWhenTheScraperAsksForIt() throws Exception {
    HttpResponse<String> r = get("/metrics", "application/openmetrics-text;version=1.0.0,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/openmetrics-text"));
    assertThat(r.body()).contains("# TYPE rpc_duration_seconds histogram")
        .contains("trace_id=\"" + TRACE_ID + "\"").endsWith("# EOF\n");
  }

  @Test
  void servesPrometheusTextToAPlainScraper() throws Exception {
    HttpResponse<String> r = get("/metrics", null);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body()).contains("rpc_duration_seconds_bucket{")
        .contains("# TYPE target_info gauge").doesNotContain("# EOF");
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    assertThat(get("/", null).statusCode()).isEqualTo(404);
  }
}
