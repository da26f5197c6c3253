package io.vigil.receiver.fluentforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.SignalConsumers;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.RecordingConsumer;
import io.vigil.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.komamitsu.fluency.Fluency;
import org.komamitsu.fluency.fluentd.FluencyBuilderForFluentd;

/** The receiver's {@code tls} block, with the real Fluency client's SSL sender. */
class FluentForwardTlsTest {

  @TempDir Path dir;
  private final RecordingConsumer<ExportLogsServiceRequest> logs = new RecordingConsumer<>();
  private FluentForwardReceiver receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.shutdown(Instant.now().plusSeconds(2));
    }
  }

  private void start(TestCertificates.Ca ca, Path clientCa) {
    TestCertificates.Issued server = ca.server(dir, "server");
    FluentForwardConfig c = new FluentForwardConfig();
    c.endpoint = "127.0.0.1:0";
    c.tls = new TlsServerSettings();
    c.tls.certFile = server.certFile().toString();
    c.tls.keyFile = server.keyFile().toString();
    c.tls.clientCaFile = clientCa == null ? "" : clientCa.toString();
    new FluentForwardReceiverFactory().validate(c);
    receiver = (FluentForwardReceiver) new FluentForwardReceiverFactory().create(
        new ComponentSettings(ComponentKind.RECEIVER, ComponentId.of("fluentforward"),
            new GatewayTelemetry()),
        c, SignalConsumers.builder().put(Signal.LOGS, logs).build());
    receiver.start();
  }

  /** Sends {@code n} records with Fluency over TLS in ack mode. */
  private void sendWithFluency(SSLContext tls, int n) throws Exception {
    FluencyBuilderForFluentd builder = new FluencyBuilderForFluentd();
    builder.setAckResponseMode(true);
    builder.setSslEnabled(true);
    builder.setSslSocketFactory(tls.getSocketFactory());
    try (Fluency fluency = builder.build("localhost", receiver.port())) {
      for (int i = 0; i < n; i++) {
        fluency.emit("tls.app", Map.<String, Object>of("log", "over tls " + i));
      }
      fluency.flush();
    }
  }

  private List<String> bodies() {
    List<String> out = new ArrayList<>();
    logs.batches().forEach(b -> b.getResourceLogsList().forEach(rl -> rl.getScopeLogsList()
        .forEach(sl -> sl.getLogRecordsList().forEach(r -> out.add(r.getBody().getStringValue())))));
    return out;
  }

  @Test
  void fluencyTrustingTheCaDeliversOverTls() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    start(ca, null);
    sendWithFluency(ca.context(null), 50);
    await().atMost(Duration.ofSeconds(20)).until(() -> bodies().size() >= 50);
    assertThat(bodies()).hasSize(50).doesNotHaveDuplicates().allMatch(b -> b.startsWith("over tls"));
  }

  @Test
  void mutualTlsTakesFluencyWithACertificateAndRefusesClientsWithout() throws Exception {
    TestCertificates.Ca ca = TestCertificates.ca(dir, "ca");
    start(ca, ca.certFile());
    TestCertificates.Issued stranger = TestCertificates.ca(dir.resolve("x"), "rogue-ca")
        .client(dir.resolve("x"), "rogue");

    for (SSLContext refused : List.of(ca.context(null), ca.context(stranger))) {
      try (SpecForwardClient client = new SpecForwardClient(receiver.port(), refused)) {
        client.sendAckedOrFail("tls.app", "no certificate of the client CA");
        assertThat(client.closedByServer()).isTrue();
      }
    }
    assertThat(logs.batchCount()).isZero();

    sendWithFluency(ca.context(ca.client(dir, "fluency")), 10);
    await().atMost(Duration.ofSeconds(20)).until(() -> bodies().size() >= 10);
    assertThat(bodies()).hasSize(10);
  }
}
