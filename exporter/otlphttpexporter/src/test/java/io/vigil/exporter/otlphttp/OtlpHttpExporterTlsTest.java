package io.vigil.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
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

/** One gateway's otlphttp exporter sending to a second gateway's OTLP/HTTP receiver over mTLS. */
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
    new OtlpReceiverFactory().validate(c);
    receiver = new OtlpReceiverFactory().create(new ComponentSettings(ComponentKind.RECEIVER,
            ComponentId.of("otlp"), new GatewayTelemetry()), c,
        SignalConsumers.builder().put(Signal.TRACES, received).build());
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown(Instant.now().plusSeconds(1));
    }
    receiver.shutdown(Instant.now().plusSeconds(1));
  }

  private void export(OtlpHttpExporterConfig c) throws Exception {
    c.endpoint = "https://" + endpoint;
    c.retryOnFailure.enabled = false;
    new OtlpHttpExporterFactory().validate(c);
    exporter = new OtlpHttpExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlphttp"), telemetry), c,
        Set.of(Signal.TRACES));
    exporter.start();
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
