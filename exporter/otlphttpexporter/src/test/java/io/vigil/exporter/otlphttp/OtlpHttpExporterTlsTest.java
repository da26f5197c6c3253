package io.vigil.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.auth.AuthSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.component.Host;
import io.vigil.extension.bearertokenauth.BearerTokenAuthConfig;
import io.vigil.extension.bearertokenauth.BearerTokenAuthFactory;
import java.util.Map;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.Receiver;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.receiver.otlp.OtlpReceiverConfig;
import io.vigil.receiver.otlp.OtlpReceiverFactory;
import io.vigil.testing.FreePort;
import io.vigil.testing.Metrics;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestCertificates;
import io.vigil.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One gateway's otlphttp exporter sending to a second gateway's OTLP/HTTP receiver over mutual TLS, with
 * a bearer token on top: both sides use the real bearertokenauth extension, the exporter's as a
 * client (it adds the header), the receiver's as a server (it checks it).
 */
class OtlpHttpExporterTlsTest {

  @TempDir Path dir;

  private final GatewayTelemetry telemetry = new GatewayTelemetry();
  private final RecordingConsumer<ExportTraceServiceRequest> received = new RecordingConsumer<>();
  private TestCertificates.Ca serverCa;
  private TestCertificates.Ca clientCa;
  private Receiver receiver;
  private Exporter exporter;
  private String endpoint;
  private final ExportTraceServiceRequest sent = TestData.spans(3);

  private Host tokens(String token) throws Exception {
    BearerTokenAuthConfig c = new BearerTokenAuthConfig();
    c.token = token;
    Extension e = new BearerTokenAuthFactory().create(new ComponentSettings(
        ComponentKind.EXTENSION, ComponentId.of("bearertokenauth"), new GatewayTelemetry()), c);
    e.start();
    return () -> Map.of(ComponentId.of("bearertokenauth"), e);
  }

  private static AuthSettings bearer() {
    AuthSettings a = new AuthSettings();
    a.authenticator = "bearertokenauth";
    return a;
  }

  @BeforeEach
  void secondGateway() throws Exception {
    serverCa = TestCertificates.ca(dir.resolve("server"), "server-ca");
    clientCa = TestCertificates.ca(dir.resolve("clients"), "client-ca");
    TestCertificates.Issued id = serverCa.server(dir.resolve("server"), "gateway-2");
    OtlpReceiverConfig c = new OtlpReceiverConfig();
    c.protocols.http = new OtlpReceiverConfig.HttpSettings();
    endpoint = FreePort.endpoint();
    c.protocols.http.endpoint = endpoint;
    c.protocols.http.tls = new TlsServerSettings();
    c.protocols.http.tls.certFile = id.certFile().toString();
    c.protocols.http.tls.keyFile = id.keyFile().toString();
    c.protocols.http.tls.clientCaFile = clientCa.certFile().toString();
    c.protocols.http.auth = bearer();
    new OtlpReceiverFactory().validate(c);
    Host host = tokens("gateway-1-token");
    receiver = new OtlpReceiverFactory().create(new ComponentSettings(ComponentKind.RECEIVER,
            ComponentId.of("otlp"), new GatewayTelemetry(), host), c,
        SignalConsumers.builder().put(Signal.TRACES, received).build());
    receiver.start(host);
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(1));
    }
    receiver.shutdown(Instant.now().plusSeconds(1));
  }

  private void export(OtlpHttpExporterConfig c) throws Exception {
    export(c, "gateway-1-token");
  }

  private void export(OtlpHttpExporterConfig c, String token) throws Exception {
    c.endpoint = "https://" + endpoint;
    c.retryOnFailure.enabled = false;
    c.auth = bearer();
    new OtlpHttpExporterFactory().validate(c);
    Host host = tokens(token);
    exporter = new OtlpHttpExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlphttp"), telemetry, host), c,
        Set.of(Signal.TRACES));
    exporter.start(host);
    exporter.consumer(Signal.TRACES).consume(sent).get(5, TimeUnit.SECONDS);
  }

  @Test
  void exporterWithClientCertificateDeliversOverMutualTls() throws Exception {
    TestCertificates.Issued me = clientCa.client(dir.resolve("clients"), "gateway-1");
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.tls.caFile = serverCa.certFile().toString();
    c.tls.certFile = me.certFile().toString();
    c.tls.keyFile = me.keyFile().toString();
    export(c);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.batchCount() == 1);
    assertThat(received.batches().get(0)).isEqualTo(sent);
  }

  @Test
  void exporterWithTheWrongTokenIsRefusedOverMutualTls() throws Exception {
    TestCertificates.Issued me = clientCa.client(dir.resolve("clients"), "gateway-1");
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.tls.caFile = serverCa.certFile().toString();
    c.tls.certFile = me.certFile().toString();
    c.tls.keyFile = me.keyFile().toString();
    export(c, "stolen-or-stale");
    await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.value(telemetry,
        "otelcol_exporter_send_failed_spans", "reason", "permanent") == 3.0);
    assertThat(received.batches()).isEmpty();
  }

  @Test
  void exporterWithoutClientCertificateIsRefusedAndCountsTheLoss() throws Exception {
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.tls.caFile = serverCa.certFile().toString();
    export(c);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> Metrics.value(telemetry, "otelcol_exporter_send_failed_spans") == 3.0);
    assertThat(received.batches()).isEmpty();
  }

  @Test
  void exporterNotTrustingTheServersCaIsRefused() throws Exception {
    TestCertificates.Issued me = clientCa.client(dir.resolve("clients"), "gateway-1");
    OtlpHttpExporterConfig c = new OtlpHttpExporterConfig();
    c.tls.caFile = clientCa.certFile().toString();
    c.tls.certFile = me.certFile().toString();
    c.tls.keyFile = me.keyFile().toString();
    export(c);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> Metrics.value(telemetry, "otelcol_exporter_send_failed_spans") == 3.0);
    assertThat(received.batches()).isEmpty();
  }
}
