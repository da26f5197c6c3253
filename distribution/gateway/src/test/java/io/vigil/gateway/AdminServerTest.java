package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vigil.core.config.ConfigException;
import io.vigil.testing.FreePort;
import io.vigil.testing.TestData;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String config(String grpc, String admin) {
    return String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "exporters: {debug: }",
        "service:",
        "  telemetry: {metrics: {address: '" + admin + "'}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [debug]}}");
  }

  @Test
  void servesHealthAndItsOwnMetricsInBothFormats() throws Exception {
    String grpc = FreePort.endpoint();
    Gateway g = Gateway.start(config(grpc, "127.0.0.1:0"), Duration.ofSeconds(1));
    int port = g.adminPort();
    try {
      HttpResponse<String> health = get(port, "/health", null);
      assertThat(health.statusCode()).isEqualTo(200);

      var channel = io.grpc.ManagedChannelBuilder.forTarget(grpc).usePlaintext().build();
      TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .export(TestData.spans(4));
      channel.shutdownNow();

      HttpResponse<String> text = get(port, "/metrics", null);
      assertThat(text.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(text.body())
          .contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"} 4.0")
          .contains("jvm_memory_used_bytes");
      HttpResponse<String> open = get(port, "/metrics", "application/openmetrics-text; version=1.0.0");
      assertThat(open.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/openmetrics-text");
      assertThat(open.body()).endsWith("# EOF\n");
    } finally {
      g.close();
    }
    assertThat(g.isRunning()).isFalse();
  }

  /**
   * A pipeline that carried data shows up under the OpenTelemetry Collector's own metric names and
   * labels, so Collector dashboards and alerts read the gateway unchanged.
   */
  @Test
  void aPipelineThatCarriedDataIsReportedUnderTheCollectorsNames() throws Exception {
    String downstreamGrpc = FreePort.endpoint();
    Gateway downstream = Gateway.start(config(downstreamGrpc, "127.0.0.1:0"), Duration.ofSeconds(1));
    String grpc = FreePort.endpoint();
    Gateway g = Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}}}}",
        "processors: {batch: {timeout: 10ms}}",
        "exporters:",
        "  otlp/next: {endpoint: '" + downstreamGrpc + "', tls: {insecure: true},"
            + " sending_queue: {queue_size: 50}}",
        "service:",
        "  telemetry: {metrics: {address: '127.0.0.1:0'}}",
        "  pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [otlp/next]}}"),
        Duration.ofSeconds(1));
    try {
      var channel = io.grpc.ManagedChannelBuilder.forTarget(grpc).usePlaintext().build();
      TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .export(TestData.spans(5));
      channel.shutdownNow();

      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(get(g.adminPort(), "/metrics", null).body())
              .contains("otelcol_receiver_accepted_spans_total{receiver=\"otlp\",transport=\"grpc\"} 5.0")
              .contains("otelcol_processor_incoming_items_total{otel_signal=\"traces\","
                  + "pipeline=\"traces\",processor=\"batch\"} 5.0")
              .contains("otelcol_processor_outgoing_items_total{otel_signal=\"traces\","
                  + "pipeline=\"traces\",processor=\"batch\"} 5.0")
              .contains("otelcol_exporter_sent_spans_total{exporter=\"otlp/next\"} 5.0")
              .contains("otelcol_exporter_queue_size{data_type=\"traces\",exporter=\"otlp/next\"} 0.0")
              .contains("otelcol_exporter_queue_capacity{data_type=\"traces\","
                  + "exporter=\"otlp/next\"} 50.0")
              .doesNotContain("vigil_receiver_accepted", "vigil_exporter_sent",
                  "vigil_processor_incoming"));
    } finally {
      g.close();
      downstream.close();
    }
  }

  @Test
  void adminPortInUseIsAConfigErrorOnItsKey() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> Gateway.start(
              config(FreePort.endpoint(), "127.0.0.1:" + taken.getLocalPort()), Duration.ofSeconds(1)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("service::telemetry::metrics::address: cannot listen on");
    }
  }
}
