package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.vigil.testing.FreePort;
import io.vigil.testing.NonCanonicalRequests;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receiver to durable queue to otlp exporter to backend, in one gateway: a request nothing in
 * the pipeline changed reaches the backend as the very bytes the client sent (over gRPC, and
 * over HTTP with gzip, whose inflated body counts), while a request the pipeline changed
 * arrives changed. The client sends bytes protobuf-java would not write (raw gRPC and HTTP
 * clients rather than the SDK, which cannot send chosen bytes), so re-encoding would show.
 */
class DurableQueueBytePassThroughTest {

  @TempDir Path dir;
  private RawBytesTraceSink sink;
  private Gateway gateway;
  private ManagedChannel channel;
  private String grpc;
  private String http;

  @BeforeEach
  void start() throws Exception {
    sink = new RawBytesTraceSink();
    grpc = FreePort.endpoint();
    http = FreePort.endpoint();
    gateway = Gateway.start(String.join("\n",
        "extensions:",
        "  file_storage: {directory: '" + dir.resolve("queue") + "'}",
        "receivers:",
        "  otlp: {protocols: {grpc: {endpoint: '" + grpc + "'}, http: {endpoint: '" + http
            + "'}}}",
        "exporters:",
        "  otlp:",
        "    endpoint: " + sink.endpoint(),
        "    tls: {insecure: true}",
        "    sending_queue: {storage: file_storage}",
        "service:",
        "  extensions: [file_storage]",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}",
        ""), Duration.ofSeconds(5));
    channel = NettyChannelBuilder.forTarget(grpc).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    gateway.close();
    sink.close();
  }

  private void sendGrpc(byte[] request) {
    ClientCalls.blockingUnaryCall(channel, RawBytesTraceSink.EXPORT,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  @Test
  void anUnchangedRequestReachesTheBackendAsTheBytesTheClientSent() throws Exception {
    byte[] overGrpc = NonCanonicalRequests.traces("over-grpc", 3);
    byte[] overHttp = NonCanonicalRequests.traces("over-http", 2);
    assertThat(ExportTraceServiceRequest.parseFrom(overGrpc).toByteArray())
        .as("re-encoding would change these bytes").isNotEqualTo(overGrpc);

    sendGrpc(overGrpc);
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(gzipped)) {
      gz.write(overHttp);
    }
    HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + http + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "gzip")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(20)).until(() -> sink.requests.size() == 2);
    assertThat(sink.requests).containsExactly(overGrpc, overHttp);
  }

  @Test
  void aRequestTheReceiverChangedReachesTheBackendChanged() throws Exception {
    // One span with a 3-byte span_id: the receiver removes it (partial success) and passes on
    // a new request with the other spans, which must be what is stored and sent.
    ExportTraceServiceRequest sent = ExportTraceServiceRequest.parseFrom(
        NonCanonicalRequests.traces("kept", 2));
    ExportTraceServiceRequest.Builder b = sent.toBuilder();
    b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).addSpans(Span.newBuilder()
        .setName("invalid").setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})));
    sendGrpc(b.build().toByteArray());

    await().atMost(Duration.ofSeconds(20)).until(() -> sink.requests.size() == 1);
    ExportTraceServiceRequest arrived = ExportTraceServiceRequest.parseFrom(sink.requests.get(0));
    assertThat(arrived).isEqualTo(sent);
    assertThat(sink.requests.get(0)).isEqualTo(sent.toByteArray());
  }
}
