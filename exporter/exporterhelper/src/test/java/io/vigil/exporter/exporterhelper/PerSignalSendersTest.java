package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerSignalSendersTest {

  private final PerSignalSenders senders = new PerSignalSenders(
      new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("otlp"),
          new GatewayTelemetry()), new SendingSettings());

  @Test
  void routesEachSignalToItsOwnSenderAndHasNoneForOthers() throws Exception {
    List<Object> traces = new CopyOnWriteArrayList<>();
    List<Object> logs = new CopyOnWriteArrayList<>();
    senders.add(Signal.TRACES, (ExportTraceServiceRequest b, java.time.Duration t) -> {
      traces.add(b);
      return CompletableFuture.completedFuture(SendResult.accepted());
    });
    senders.add(Signal.LOGS, (ExportLogsServiceRequest b, java.time.Duration t) -> {
      logs.add(b);
      return CompletableFuture.completedFuture(SendResult.accepted());
    });
    senders.start();
    try {
      senders.consumer(Signal.TRACES).consume(TestData.spans(2)).get(5, TimeUnit.SECONDS);
      senders.consumer(Signal.LOGS).consume(TestData.logs(1)).get(5, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().until(() -> traces.size() == 1 && logs.size() == 1);
      assertThat(senders.consumer(Signal.METRICS)).isNull();
    } finally {
      senders.shutdown(Instant.now().plusSeconds(1));
    }
  }

  @Test
  void refusesASecondSenderForTheSameSignal() {
    BatchSender<ExportTraceServiceRequest> s =
        (b, t) -> CompletableFuture.completedFuture(SendResult.accepted());
    senders.add(Signal.TRACES, s);
    assertThatThrownBy(() -> senders.add(Signal.TRACES, s))
        .isInstanceOf(IllegalStateException.class);
    senders.shutdown(Instant.now());
  }
}
