package io.vigil.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.SdkRecorders.RecordingSpanExporter;
import io.vigil.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK's OTLP exporters, configured with their own TLS settings
 * ({@code setTrustedCertificates}, {@code setClientTls}), against the receiver over TLS and mTLS,
 * with certificates made for each test.
 */
class OtlpReceiverTlsTest {

  @TempDir Path dir;

  private final RecordingConsumer<ExportTraceServiceRequest> traces = new RecordingConsumer<>();
  private TestCertificates.Ca ca;
  private TestCertificates.Issued server;
  private OtlpReceiver receiver;
  private final List<SpanData> spans = spans();

  @BeforeEach
  void certificates() {
    ca = TestCertificates.ca(dir, "ca");
    server = ca.server(dir, "server");
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.shutdown(Instant.now().plusSeconds(2));
    }
  }

  private static List<SpanData> spans() {
    RecordingSpanExporter keep = new RecordingSpanExporter(SpanExporter.composite());
    try (SdkTracerProvider p = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(keep)).build()) {
      p.get("tls-test").spanBuilder("checkout").startSpan().end();
    }
    return keep.sent;
  }

  private TlsServerSettings tls(Path clientCa, Duration reload) {
    TlsServerSettings t = new TlsServerSettings();
    t.certFile = server.certFile().toString();
    t.keyFile = server.keyFile().toString();
    t.clientCaFile = clientCa == null ? "" : clientCa.toString();
    t.reloadInterval = reload;
    return t;
  }

  private void start(TlsServerSettings tls) {
    OtlpReceiverConfig c = new OtlpReceiverConfig();
    c.protocols.grpc = new OtlpReceiverConfig.GrpcSettings();
    c.protocols.grpc.endpoint = "127.0.0.1:0";
    c.protocols.grpc.tls = tls;
    c.protocols.http = new OtlpReceiverConfig.HttpSettings();
    c.protocols.http.endpoint = "127.0.0.1:0";
    c.protocols.http.tls = tls;
    new OtlpReceiverFactory().validate(c);
    receiver = new OtlpReceiver(new ComponentSettings(ComponentKind.RECEIVER,
        ComponentId.of("otlp"), new GatewayTelemetry()), c,
        SignalConsumers.builder().put(Signal.TRACES, traces).build());
    receiver.start();
  }

  private boolean send(SpanExporter exporter) {
    try {
      return exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private OtlpGrpcSpanExporter grpc(TestCertificates.Ca trusted, TestCertificates.Issued client)
      throws Exception {
    var b = OtlpGrpcSpanExporter.builder()
        .setEndpoint("https://localhost:" + receiver.grpcPort())
        .setTrustedCertificates(Files.readAllBytes(trusted.certFile()));
    if (client != null) {
      b.setClientTls(Files.readAllBytes(client.keyFile()), Files.readAllBytes(client.certFile()));
    }
    return b.build();
  }

  private OtlpHttpSpanExporter http(TestCertificates.Ca trusted, TestCertificates.Issued client)
      throws Exception {
    var b = OtlpHttpSpanExporter.builder()
        .setEndpoint("https://localhost:" + receiver.httpPort() + "/v1/traces")
        .setTrustedCertificates(Files.readAllBytes(trusted.certFile()));
    if (client != null) {
      b.setClientTls(Files.readAllBytes(client.keyFile()), Files.readAllBytes(client.certFile()));
    }
    return b.build();
  }

  @Test
  void sdkExportersTrustingTheCaDeliverOverTls() throws Exception {
    start(tls(null, Duration.ZERO));
    assertThat(send(grpc(ca, null))).isTrue();
    assertThat(send(http(ca, null))).isTrue();
    assertThat(traces.batches()).hasSize(2);
  }

  @Test
  void clientTrustingAnotherCaIsRefusedAndNothingArrives() throws Exception {
    start(tls(null, Duration.ZERO));
    TestCertificates.Ca other = TestCertificates.ca(dir.resolve("other"), "other-ca");
    assertThat(send(grpc(other, null))).isFalse();
    assertThat(send(http(other, null))).isFalse();
    assertThat(traces.batches()).isEmpty();
  }

  @Test
  void mutualTlsAcceptsSignedClientsAndRefusesOthers() throws Exception {
    TestCertificates.Ca clients = TestCertificates.ca(dir.resolve("clients"), "client-ca");
    start(tls(clients.certFile(), Duration.ZERO));
    TestCertificates.Issued good = clients.client(dir.resolve("clients"), "checkout");
    TestCertificates.Issued stranger = TestCertificates.ca(dir.resolve("x"), "rogue-ca")
        .client(dir.resolve("x"), "rogue");

    assertThat(send(grpc(ca, null))).as("gRPC without a client certificate").isFalse();
    assertThat(send(http(ca, null))).as("HTTP without a client certificate").isFalse();
    assertThat(send(grpc(ca, stranger))).as("gRPC, certificate of another CA").isFalse();
    assertThat(send(http(ca, stranger))).as("HTTP, certificate of another CA").isFalse();
    assertThat(traces.batches()).isEmpty();

    assertThat(send(grpc(ca, good))).isTrue();
    assertThat(send(http(ca, good))).isTrue();
    assertThat(traces.batches()).hasSize(2);
  }

  @Test
  void expiredServerCertificateIsRefusedByTheClient() throws Exception {
    server = ca.expiredServer(dir.resolve("old"), "server");
    start(tls(null, Duration.ZERO));
    assertThat(send(grpc(ca, null))).isFalse();
    assertThat(send(http(ca, null))).isFalse();
    assertThat(traces.batches()).isEmpty();
  }

  @Test
  void certificateRotatedOnDiskIsServedAfterReloadInterval() throws Exception {
    start(tls(null, Duration.ofMillis(100)));
    TestCertificates.Ca next = TestCertificates.ca(dir.resolve("next"), "next-ca");
    assertThat(send(http(next, null))).as("the new CA's clients before rotation").isFalse();

    TestCertificates.replace(next.server(dir.resolve("next"), "server"),
        server.certFile(), server.keyFile());

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(served(receiver.grpcPort()).getIssuerX500Principal().getName())
          .isEqualTo("CN=next-ca");
      assertThat(served(receiver.httpPort()).getIssuerX500Principal().getName())
          .isEqualTo("CN=next-ca");
    });
    assertThat(send(grpc(next, null))).isTrue();
    assertThat(send(http(next, null))).isTrue();
  }

  /** The certificate a TLS port presents now, read by a handshake that trusts anything. */
  private static X509Certificate served(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      s.setSSLParameters(p);
      s.setSoTimeout(5000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }
}
