package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue #17 rough edges: what the gateway's own log looks like. */
class GatewayLoggingTest {

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void attach() {
    events.start();
    root.addAppender(events);
  }

  @AfterEach
  void detach() {
    root.detachAppender(events);
  }

  private List<String> messages() {
    return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Gateway gateway() {
    return Gateway.start(String.join("\n",
        "receivers: {otlp: {protocols: {http: {endpoint: '127.0.0.1:0'}}}}",
        "exporters: {debug: {}}",
        "service:",
        "  telemetry: {metrics: {address: ''}}",
        "  pipelines: {logs: {receivers: [otlp], exporters: [debug]}}"), Duration.ofSeconds(20));
  }

  @Test
  void durationsAreLoggedAsConfigured() {
    gateway().close();
    assertThat(messages()).anySatisfy(m -> assertThat(m).contains("for up to 20s"))
        .noneSatisfy(m -> assertThat(m).contains("PT20S"));
  }

  @Test
  void grpcJavaUtilLoggingGoesThroughTheGatewaysLoggingRateLimited() {
    try (Gateway g = gateway()) {
      java.util.logging.Logger grpc =
          java.util.logging.Logger.getLogger("io.grpc.internal.ManagedChannelImpl");
      for (int i = 0; i < 5; i++) {
        grpc.log(java.util.logging.Level.WARNING, "[Channel<1>] Failed to resolve name",
            new RuntimeException("unreachable"));
      }
      assertThat(events.list).filteredOn(e -> e.getLoggerName().startsWith("io.grpc"))
          .as("routed through SLF4J, repeats suppressed").hasSize(1)
          .allSatisfy(e -> assertThat(e.getFormattedMessage())
              .isEqualTo("[Channel<1>] Failed to resolve name"));
    }
  }
}
