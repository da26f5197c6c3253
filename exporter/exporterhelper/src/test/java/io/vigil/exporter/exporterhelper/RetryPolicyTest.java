package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The retry stage on its own: retry or drop, and why. */
class RetryPolicyTest {
  private final RetrySettings settings = new RetrySettings();

  private RetryPolicy.Decision after(ExportFailure f, Duration elapsed, boolean shuttingDown) {
    RetryPolicy p = new RetryPolicy(settings);
    return p.afterFailure(f, 3, elapsed, p.backoff(), shuttingDown);
  }

  @Test
  void dropsPermanentFailures() {
    var d = after(ExportFailure.permanent("400 bad"), Duration.ZERO, false);
    assertThat(d.retry()).isFalse();
    assertThat(d.reason()).isEqualTo("permanent");
  }

  @Test
  void honoursTheDestinationsRequestedDelay() {
    var d = after(ExportFailure.retryable("429", Duration.ofSeconds(7)), Duration.ZERO, false);
    assertThat(d.delay()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void givesUpOnceTheWaitWouldPassMaxElapsedTime() {
    settings.maxElapsedTime = Duration.ofSeconds(10);
    var d = after(ExportFailure.retryable("503", Duration.ofSeconds(2)), Duration.ofSeconds(9),
        false);
    assertThat(d.reason()).isEqualTo("retries_exhausted");
    assertThat(d.message()).contains("gave up after 3 attempts in 9s");
  }

  @Test
  void dropsWhenRetriesAreOffOrTheGatewayIsShuttingDown() {
    assertThat(after(ExportFailure.retryable("503", (Duration) null), Duration.ZERO, true)
        .reason()).isEqualTo("shutdown");
    settings.enabled = false;
    assertThat(after(ExportFailure.retryable("503", (Duration) null), Duration.ZERO, false)
        .message()).endsWith("(retry_on_failure is disabled)");
  }
}
