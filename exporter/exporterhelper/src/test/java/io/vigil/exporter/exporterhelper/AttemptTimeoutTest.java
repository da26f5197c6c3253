package io.vigil.exporter.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vigil.core.Signal;
import io.vigil.testing.TestData;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The timeout stage on its own. */
class AttemptTimeoutTest {
  private final AttemptTimeout timeout = new AttemptTimeout(Duration.ofMillis(50));

  @Test
  void anUnansweredAttemptFailsRetryablyNamingTheTimeout() {
    CompletableFuture<SendResult> never = new CompletableFuture<>();
    var limited = timeout.limit(never);
    assertThat(limited).failsWithin(Duration.ofSeconds(5));
    Throwable error = limited.handle((r, e) -> e).join();
    ExportFailure f = timeout.failure(error);
    assertThat(f.isRetryable()).isTrue();
    assertThat(f.getMessage()).isEqualTo("no answer within timeout 50ms");
    assertThat(f.getCause()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void keepsAnExportFailureAsItIs() {
    ExportFailure permanent = ExportFailure.permanent("400");
    assertThat(timeout.failure(new java.util.concurrent.CompletionException(permanent)))
        .isSameAs(permanent);
  }
}
