package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.auth.AuthSettings;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.Host;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.extension.basicauth.BasicAuthConfig;
import io.vigil.extension.basicauth.BasicAuthFactory;
import io.vigil.extension.bearertokenauth.BearerTokenAuthConfig;
import io.vigil.extension.bearertokenauth.BearerTokenAuthFactory;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.SdkRecorders.RecordingSpanExporter;
import io.vigil.testing.TestCertificates;
import io.vigil.testing.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver with {@code auth: {authenticator: ...}} on both protocols and the real
 * authenticator extensions: the SDK's exporters with the right header get through; a wrong or
 * missing one is refused with UNAUTHENTICATED / 401, counted, and nothing reaches the pipeline.
 */
class OtlpReceiverAuthTest {

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private final RecordingConsumer<ExportTraceServiceRequest> traces = new RecordingConsumer<>();
  private final List<Extension> extensions = new ArrayList<>();
  private final List<SpanData> spans = spans();
  private OtlpReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.shutdown(Instant.now().plusSeconds(2));
    }
    extensions.forEach(e -> e.shutdown(Instant.now()));
  }

  private static List<SpanData> spans() {
    RecordingSpanExporter keep = new RecordingSpanExporter(SpanExporter.composite());
    try (SdkTracerProvider p = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(keep)).build()) {
      p.get("auth-test").spanBuilder("pay").startSpan().end();
    }
    return keep.sent;
  }

  private Host host(String id, Extension e) throws Exception {
    e.start();
    extensions.add(e);
    return () -> Map.of(ComponentId.parse(id), e);
  }

  private Host bearer(String... tokens) throws Exception {
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.tokens = List.of(tokens);
    return host("bearertokenauth", new BearerTokenAuthFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("bearertokenauth"), telemetry), c));
  }

  private void start(Host host, String authenticator) {
    start(host, authenticator, null);
  }

  private void start(Host host, String authenticator, TlsServerSettings tls) {
    OtlpReceiverConfig c = new OtlpReceiverConfig();
    c.protocols.grpc = new OtlpReceiverConfig.GrpcSettings();
    c.protocols.grpc.endpoint = "127.0.0.1:0";
    c.protocols.grpc.auth = new AuthSettings();
    c.protocols.grpc.auth.authenticator = authenticator;
    c.protocols.grpc.tls = tls;
    c.protocols.http = new OtlpReceiverConfig.HttpSettings();
    c.protocols.http.endpoint = "127.0.0.1:0";
    c.protocols.http.auth = c.protocols.grpc.auth;
    c.protocols.http.tls = tls;
    new OtlpReceiverFactory().validate(c);
    receiver = new OtlpReceiver(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("otlp"), telemetry, host), c,
        SignalConsumers.builder().put(Signal.TRACES, traces).build());
    receiver.start(host);
  }

  private boolean send(SpanExporter exporter) {
    try {
      return exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private boolean sdkGrpc(String authorization) {
    var b = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + receiver.grpcPort());
    if (authorization != null) {
      b.addHeader("Authorization", authorization);
    }
    return send(b.build());
  }

  private boolean sdkHttp(String authorization) {
    var b = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces");
    if (authorization != null) {
      b.addHeader("Authorization", authorization);
    }
    return send(b.build());
  }

  private double unauthenticated(String transport) {
    return Metrics.value(telemetry, "vigil_receiver_unauthenticated_requests",
        "receiver", "otlp", "transport", transport);
  }

  @Test
  void sdkExportersWithTheTokenGetThroughOthersAreRefusedAndCounted() throws Exception {
    start(bearer("t0ken-a", "t0ken-b"), "bearertokenauth");

    assertThat(sdkGrpc(null)).isFalse();
    assertThat(sdkGrpc("Bearer wrong")).isFalse();
    assertThat(sdkHttp(null)).isFalse();
    assertThat(sdkHttp("Bearer wrong")).isFalse();
    assertThat(traces.batches()).as("nothing a refused client sent entered the pipeline").isEmpty();
    assertThat(unauthenticated("grpc")).isEqualTo(2.0);
    assertThat(unauthenticated("http")).isEqualTo(2.0);

    assertThat(sdkGrpc("Bearer t0ken-a")).isTrue();
    assertThat(sdkHttp("Bearer t0ken-b")).isTrue();
    assertThat(traces.batches()).hasSize(2);
  }

  @Test
  void refusalsCarryTheSpecifiedStatuses() throws Exception {
    start(bearer("t0ken"), "bearertokenauth");
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", receiver.grpcPort())
        .usePlaintext().build();
    try {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer nope");
      var stub = TraceServiceGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> stub.export(TestData.spans(2)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo("invalid bearer token");
          });
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(TestData.spans(2).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(resp.statusCode()).isEqualTo(401);
    assertThat(com.google.rpc.Status.parseFrom(resp.body()).getMessage())
        .isEqualTo("missing or empty Authorization header");
    assertThat(traces.batches()).isEmpty();
  }

  /**
   * The whole stack at once, as a workload on a shared cluster would use it: mutual TLS and a
   * token. Each missing piece is refused at its own layer: the TLS handshake for the client
   * certificate (missing, expired), UNAUTHENTICATED / 401 for the token (wrong, none).
   */
  @Test
  void sdkOverMutualTlsWithATokenAndEachMissingPieceRefusedAtItsLayer(@TempDir Path dir)
      throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued server = ca.server(dir, "server");
    TestCertificates.Issued client = ca.client(dir, "checkout");
    TestCertificates.Issued expired = ca.expiredClient(dir, "retired");
    TlsServerSettings tls = new TlsServerSettings();
    tls.certFile = server.certFile().toString();
    tls.keyFile = server.keyFile().toString();
    tls.clientCaFile = ca.certFile().toString();
    start(bearer("t0ken"), "bearertokenauth", tls);

    assertThat(sdkTls(true, ca, client, "Bearer t0ken")).isTrue();
    assertThat(sdkTls(false, ca, client, "Bearer t0ken")).isTrue();
    assertThat(traces.batches()).hasSize(2);

    for (boolean grpc : new boolean[] {true, false}) {
      String transport = grpc ? "gRPC" : "HTTP";
      assertThat(sdkTls(grpc, ca, null, "Bearer t0ken")).as(transport + ", no client certificate")
          .isFalse();
      assertThat(sdkTls(grpc, ca, expired, "Bearer t0ken"))
          .as(transport + ", expired client certificate").isFalse();
      assertThat(sdkTls(grpc, ca, client, "Bearer wrong")).as(transport + ", wrong token")
          .isFalse();
      assertThat(sdkTls(grpc, ca, client, null)).as(transport + ", no token").isFalse();
    }
    assertThat(traces.batches()).as("nothing a refused client sent entered the pipeline")
        .hasSize(2);
    assertThat(unauthenticated("grpc")).as("token refusals only: the TLS ones never got a call")
        .isEqualTo(2.0);
    assertThat(unauthenticated("http")).isEqualTo(2.0);

    // The statuses a client sees for a wrong token, over the same mutual TLS.
    ManagedChannel ch = Grpc.newChannelBuilder("localhost:" + receiver.grpcPort(),
        TlsChannelCredentials.newBuilder().trustManager(ca.certFile().toFile())
            .keyManager(client.certFile().toFile(), client.keyFile().toFile()).build()).build();
    try {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer nope");
      var stub = TraceServiceGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> stub.export(TestData.spans(2)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    HttpResponse<byte[]> resp = HttpClient.newBuilder().sslContext(ca.context(client)).build()
        .send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + receiver.httpPort() + "/v1/traces"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-protobuf")
            .header("Authorization", "Bearer nope")
            .POST(HttpRequest.BodyPublishers.ofByteArray(TestData.spans(2).toByteArray()))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(resp.statusCode()).isEqualTo(401);
    assertThat(traces.batches()).hasSize(2);
  }

  private boolean sdkTls(boolean grpc, TestCertificates.Ca ca, TestCertificates.Issued client,
      String authorization) throws Exception {
    byte[] trusted = Files.readAllBytes(ca.certFile());
    SpanExporter exporter;
    if (grpc) {
      var b = OtlpGrpcSpanExporter.builder()
          .setEndpoint("https://localhost:" + receiver.grpcPort()).setTrustedCertificates(trusted)
          .setRetryPolicy(null); // a refusal is final: no backoff to wait out
      if (client != null) {
        b.setClientTls(Files.readAllBytes(client.keyFile()), Files.readAllBytes(client.certFile()));
      }
      if (authorization != null) {
        b.addHeader("Authorization", authorization);
      }
      exporter = b.build();
    } else {
      var b = OtlpHttpSpanExporter.builder()
          .setEndpoint("https://localhost:" + receiver.httpPort() + "/v1/traces")
          .setTrustedCertificates(trusted).setRetryPolicy(null);
      if (client != null) {
        b.setClientTls(Files.readAllBytes(client.keyFile()), Files.readAllBytes(client.certFile()));
      }
      if (authorization != null) {
        b.addHeader("Authorization", authorization);
      }
      exporter = b.build();
    }
    return send(exporter);
  }

  @Test
  void basicAuthFromHtpasswd() throws Exception {
    BasicAuthConfig c = new BasicAuthConfig();
    c.htpasswd = new BasicAuthConfig.Htpasswd();
    // user "agent", password "s3cret": {SHA} keeps the test quick; bcrypt is tested in basicauth.
    c.htpasswd.inline = "agent:{SHA}" + java.util.Base64.getEncoder().encodeToString(
        java.security.MessageDigest.getInstance("SHA-1").digest("s3cret".getBytes()));
    start(host("basicauth", new BasicAuthFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("basicauth"), telemetry), c)), "basicauth");
    String good = "Basic " + java.util.Base64.getEncoder().encodeToString("agent:s3cret".getBytes());
    String bad = "Basic " + java.util.Base64.getEncoder().encodeToString("agent:guess".getBytes());
    assertThat(sdkGrpc(bad)).isFalse();
    assertThat(sdkHttp(bad)).isFalse();
    assertThat(traces.batches()).isEmpty();
    assertThat(sdkGrpc(good)).isTrue();
    assertThat(sdkHttp(good)).isTrue();
  }

  @Test
  void authenticatorThatIsNotRunningFailsStartNamingTheKey() {
    assertThatThrownBy(() -> start(Host.NONE, "bearertokenauth"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("protocols::grpc::auth::authenticator: extension"
            + " \"bearertokenauth\" is not running");
  }
}
