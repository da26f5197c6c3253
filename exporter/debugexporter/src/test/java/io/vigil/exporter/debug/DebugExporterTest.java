package io.vigil.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.telemetry.GatewayTelemetry;
import io.vigil.testing.TestData;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DebugExporterTest {

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final ch.qos.logback.classic.Logger root =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vigil");

  @BeforeEach
  void capture() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void release() {
    root.detachAppender(logs);
  }

  private void export(String verbosity) throws Exception {
    DebugExporterConfig c = new DebugExporterConfig();
    c.verbosity = verbosity;
    c.samplingInitial = 100;
    var e = new DebugExporterFactory().create(
        new ComponentSettings(ComponentKind.EXPORTER, ComponentId.of("debug"), new GatewayTelemetry()),
        c, Set.of(Signal.TRACES, Signal.LOGS));
    e.consumer(Signal.TRACES).consume(TestData.spans(3)).get();
    e.consumer(Signal.LOGS).consume(TestData.logs(2)).get();
  }

  @Test
  void basicWritesOneLinePerBatch() throws Exception {
    export("basic");
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("traces: 3 spans", "logs: 2 log records");
  }

  @Test
  void normalWritesOneLinePerItem() throws Exception {
    export("normal");
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(m -> m.startsWith("span span-")).hasSize(3);
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(m -> m.startsWith("log INFO line ")).hasSize(2);
  }

  @Test
  void detailedDumpsEveryField() throws Exception {
    export("detailed");
    assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains("http.route").contains("service.name"));
  }
}
