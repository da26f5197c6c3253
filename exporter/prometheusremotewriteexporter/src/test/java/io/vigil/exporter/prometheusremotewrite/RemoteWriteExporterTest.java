package io.vigil.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.Label;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.TimeSeries;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.WriteRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Against a fake receiver: the bytes, headers and retries the remote-write spec asks for. */
class RemoteWriteExporterTest {

  private static final long T = 1_700_000_000_000_000_000L;
  private HttpServer server;
  private final List<WriteRequest> received = new CopyOnWriteArrayList<>();
  private final Map<String, String> headers = new ConcurrentHashMap<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private RemoteWriteExporter exporter;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext("/api/v1/write", ex -> {
      try (ex) {
        byte[] body = ex.getRequestBody().readAllBytes();
        if (failuresLeft.getAndDecrement() > 0) {
          ex.sendResponseHeaders(503, -1);
          return;
        }
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
        received.add(WriteRequest.parseFrom(Snappy.uncompress(body)));
        ex.sendResponseHeaders(204, -1);
      }
    });
    server.start();
    RemoteWriteExporterConfig config = new RemoteWriteExporterConfig();
    config.endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    config.externalLabels.put("cluster", "eu-1");
    config.retryOnFailure.initialInterval = Duration.ofMillis(20);
    config.retryOnFailure.maxInterval = Duration.ofMillis(50);
    exporter = new RemoteWriteExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("prometheusremotewrite"), new GatewayTelemetry()), config);
    exporter.start();
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now().plusSeconds(2));
    server.stop(0);
  }

  private static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static ExportMetricsServiceRequest metrics() {
    Exemplar ex = Exemplar.newBuilder().setAsDouble(0.3).setTimeUnixNano(T)
        .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
        .build();
    Metric counter = Metric.newBuilder().setName("http.server.requests").setSum(Sum.newBuilder()
        .setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(12)
            .addAttributes(attr("http.route", "/a")))).build();
    Metric deltaCounter = Metric.newBuilder().setName("delta.requests").setSum(Sum.newBuilder()
        .setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(1))).build();
    Metric histogram = Metric.newBuilder().setName("rpc.duration").setUnit("s")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T)
                .addExplicitBounds(0.1).addExplicitBounds(1.0)
                .addBucketCounts(1).addBucketCounts(2).addBucketCounts(0)
                .setCount(3).setSum(1.5).addExemplars(ex))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "checkout"))
            .addAttributes(attr("host.name", "node-1")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(counter).addMetrics(deltaCounter)
            .addMetrics(histogram))).build();
  }

  private static Map<String, TimeSeries> byLabels(WriteRequest r) {
    return r.getTimeseriesList().stream().collect(Collectors.toMap(
        ts -> ts.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue())
            .collect(Collectors.joining(",")), ts -> ts));
  }

  @Test
  void sendsSnappyProtobufWithTheSpecHeadersAndPrometheusNames() {
    exporter.consumer(Signal.METRICS).consume(metrics()).join();
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(headers).containsEntry("content-encoding", "snappy")
        .containsEntry("content-type", "application/x-protobuf")
        .containsEntry("x-prometheus-remote-write-version", "0.1.0");
    Map<String, TimeSeries> series = byLabels(received.get(0));
    assertThat(series).containsKeys(
        "__name__=http_server_requests_total,cluster=eu-1,http_route=/a,job=checkout",
        "__name__=rpc_duration_seconds_bucket,cluster=eu-1,job=checkout,le=0.1",
        "__name__=rpc_duration_seconds_bucket,cluster=eu-1,job=checkout,le=1.0",
        "__name__=rpc_duration_seconds_bucket,cluster=eu-1,job=checkout,le=+Inf",
        "__name__=rpc_duration_seconds_sum,cluster=eu-1,job=checkout",
        "__name__=rpc_duration_seconds_count,cluster=eu-1,job=checkout",
        "__name__=target_info,cluster=eu-1,host_name=node-1,job=checkout");
    assertThat(series.keySet()).noneMatch(k -> k.contains("delta_requests"));
    TimeSeries le1 = series.get("__name__=rpc_duration_seconds_bucket,cluster=eu-1,job=checkout,le=1.0");
    assertThat(le1.getSamples(0).getValue()).as("buckets are cumulative").isEqualTo(3);
    assertThat(le1.getSamples(0).getTimestamp()).isEqualTo(T / 1_000_000L);
    // The exemplar's value 0.3 lies in (0.1, 1.0]: it rides on that bucket only.
    assertThat(series.get("__name__=rpc_duration_seconds_bucket,cluster=eu-1,job=checkout,le=0.1")
        .getExemplarsList()).isEmpty();
    assertThat(le1.getExemplarsList()).singleElement().satisfies(e -> assertThat(
        e.getLabelsList()).extracting(Label::getName).containsExactly("span_id", "trace_id"));
    for (TimeSeries ts : received.get(0).getTimeseriesList()) {
      List<String> names = ts.getLabelsList().stream().map(Label::getName).toList();
      assertThat(names).as("labels sorted by name").isSorted();
    }
  }

  @Test
  void retries503UntilTheReceiverAccepts() {
    failuresLeft.set(2);
    exporter.consumer(Signal.METRICS).consume(metrics()).join();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertThat(failuresLeft.get()).isNegative();
  }
}
