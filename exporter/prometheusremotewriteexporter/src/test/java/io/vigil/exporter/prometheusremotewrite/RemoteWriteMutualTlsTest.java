package io.vigil.exporter.prometheusremotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vigil.config.tls.JdkHttpServers;
import io.vigil.config.tls.ServerTls;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.config.ConfigException;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.exporter.prometheusremotewrite.prompb.RemoteWrite.WriteRequest;
import io.vigil.testing.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * {@code tls} on the exporter against a remote-write receiver that requires a client
 * certificate: with the receiver's CA and a client certificate of the CA it trusts, the write
 * arrives; without a certificate, with one of another CA, or without trusting the receiver's
 * CA, the handshake fails and nothing is written.
 */
class RemoteWriteMutualTlsTest {

  @TempDir Path dir;
  private TestCertificates.Ca ca;
  private ServerTls serverTls;
  private HttpServer server;
  private final List<WriteRequest> received = new CopyOnWriteArrayList<>();
  private RemoteWriteExporter exporter;

  @BeforeEach
  void startReceiverRequiringClientCertificates() throws Exception {
    ca = TestCertificates.ca(dir, "ca");
    TestCertificates.Issued cert = ca.server(dir, "receiver");
    TlsServerSettings tls = new TlsServerSettings();
    tls.certFile = cert.certFile().toString();
    tls.keyFile = cert.keyFile().toString();
    tls.clientCaFile = ca.certFile().toString();
    serverTls = tls.load("receiver::tls");
    server = JdkHttpServers.create(new InetSocketAddress("127.0.0.1", 0), 8, serverTls);
    server.createContext("/api/v1/write", ex -> {
      try (ex) {
        received.add(WriteRequest.parseFrom(Snappy.uncompress(ex.getRequestBody().readAllBytes())));
        ex.sendResponseHeaders(204, -1);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(2));
    }
    server.stop(0);
    serverTls.close();
  }

  private RemoteWriteExporter start(Path caFile, TestCertificates.Issued client) {
    RemoteWriteExporterConfig config = new RemoteWriteExporterConfig();
    config.endpoint = "https://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    config.sendingQueue.enabled = false;
    config.retryOnFailure.enabled = false;
    if (caFile != null) {
      config.tls.caFile = caFile.toString();
    }
    if (client != null) {
      config.tls.certFile = client.certFile().toString();
      config.tls.keyFile = client.keyFile().toString();
    }
    new RemoteWriteExporterFactory().validate(config);
    exporter = new RemoteWriteExporter(new ComponentSettings(ComponentKind.EXPORTER,
        ComponentId.of("prometheusremotewrite"), new GatewayTelemetry()), config);
    exporter.start();
    return exporter;
  }

  private static ExportMetricsServiceRequest gauge() {
    long now = System.currentTimeMillis() * 1_000_000L;
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("queue_depth").setGauge(Gauge.newBuilder().addDataPoints(
                NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(3)))))).build();
  }

  @Test
  void writesWithTheReceiversCaAndAClientCertificateItTrusts() throws Exception {
    start(ca.certFile(), ca.client(dir, "vigil"))
        .consumer(Signal.METRICS).consume(gauge()).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(received.get(0).getTimeseries(0).getSamples(0).getValue()).isEqualTo(3.0);
  }

  /** The write fails in the handshake (the sender reports it unreachable), and none arrives. */
  private void assertNothingWritten(Path caFile, TestCertificates.Issued client) {
    var consumer = start(caFile, client).consumer(Signal.METRICS);
    assertThatThrownBy(() -> consumer.consume(gauge()).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("cannot reach");
    assertThat(received).isEmpty();
  }

  @Test
  void withoutAClientCertificateNothingIsWritten() {
    assertNothingWritten(ca.certFile(), null);
  }

  @Test
  void withACertificateOfAnotherCaNothingIsWritten() {
    assertNothingWritten(ca.certFile(), TestCertificates.ca(dir, "other").client(dir, "intruder"));
  }

  @Test
  void withoutTrustingTheReceiversCaNothingIsWritten() {
    assertNothingWritten(null, ca.client(dir, "vigil"));
  }

  @Test
  void aKeyWithoutItsCertificateIsAConfigError() {
    RemoteWriteExporterConfig config = new RemoteWriteExporterConfig();
    config.endpoint = "https://127.0.0.1:1/api/v1/write";
    config.tls.keyFile = ca.client(dir, "half").keyFile().toString();
    assertThatThrownBy(() -> new RemoteWriteExporterFactory().validate(config))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tls::cert_file");
  }
}
