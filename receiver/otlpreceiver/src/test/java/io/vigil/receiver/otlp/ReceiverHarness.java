package io.vigil.receiver.otlp;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** An OTLP receiver on ephemeral ports feeding recording consumers, plus clients for it. */
final class ReceiverHarness implements AutoCloseable {

  final RecordingConsumer<ExportTraceServiceRequest> traces = new RecordingConsumer<>();
  final RecordingConsumer<ExportMetricsServiceRequest> metrics = new RecordingConsumer<>();
  final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  final GatewayTelemetry telemetry = new GatewayTelemetry();
  final OtlpReceiver receiver;
  final ManagedChannel channel;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ReceiverHarness(long maxBody, int maxGrpcMib) {
    OtlpReceiverConfig c = new OtlpReceiverConfig();
    c.protocols.grpc = new OtlpReceiverConfig.GrpcSettings();
    c.protocols.grpc.endpoint = "127.0.0.1:0";
    c.protocols.grpc.maxRecvMsgSizeMib = maxGrpcMib;
    c.protocols.http = new OtlpReceiverConfig.HttpSettings();
    c.protocols.http.endpoint = "127.0.0.1:0";
    c.protocols.http.maxRequestBodySize = maxBody;
    receiver = new OtlpReceiver(
        new ComponentSettings(ComponentKind.RECEIVER, ComponentId.of("otlp"), telemetry), c,
        SignalConsumers.builder()
            .put(Signal.TRACES, traces)
            .put(Signal.METRICS, metrics)
            .put(Signal.LOGS, logs)
            .build());
    receiver.start();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", receiver.grpcPort())
        .usePlaintext().maxInboundMessageSize(64 << 20).build();
  }

  ReceiverHarness() {
    this(1 << 20, 1);
  }

  String grpcEndpoint() {
    return "http://127.0.0.1:" + receiver.grpcPort();
  }

  String httpUrl(String path) {
    return "http://127.0.0.1:" + receiver.httpPort() + path;
  }

  HttpResponse<byte[]> post(String path, String contentType, String encoding, byte[] body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl(path)))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receiver.shutdown(Instant.now().plusSeconds(2));
  }
}
