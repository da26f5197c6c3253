package io.vigil.processor.logtemplate;

import io.vigil.analysis.logtemplate.TemplateMiner;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogAnomalyDetectorTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long EPOCH = 1_780_000_000L;
  private final TemplateMiner miner = new LogTemplateConfig().newMiner();
  private final LogAnomalyDetector detector;
  private final Random random = new Random(3);

  LogAnomalyDetectorTest() {
    AnomalyConfig c = new AnomalyConfig();
    c.enabled = true;
    c.learningPeriod = Duration.ofMinutes(10);
    c.window = Duration.ofMinutes(1);
    detector = new LogAnomalyDetector(c, 1000);
  }

  private List<LogAnomaly.Kind> feed(long seconds, String body, SeverityNumber severity,
      ByteString trace) {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano((EPOCH + seconds) * SECOND)
        .setSeverityNumber(severity).setTraceId(trace).build();
    return detector.observe("checkout", miner.add(body), r);
  }

  private static ByteString trace(int n) {
    byte[] b = new byte[16];
    b[15] = (byte) n;
    b[14] = (byte) (n >> 8);
    return ByteString.copyFrom(b);
  }

  /** Thirty minutes of a steady mix: two request templates per trace, a few warnings. */
  private List<LogAnomaly> steadyHalfHour() {
    List<LogAnomaly> found = new ArrayList<>();
    for (int s = 0; s < 1800; s++) {
      ByteString t = trace(s);
      feed(s, "GET /cart/" + s + " took " + random.nextInt(50) + " ms", SeverityNumber.SEVERITY_NUMBER_INFO, t);
      feed(s, "cart " + s + " has " + random.nextInt(9) + " items", SeverityNumber.SEVERITY_NUMBER_INFO, t);
      if (s % 20 == 0) {
        feed(s, "slow downstream call to inventory after " + s + " ms",
            SeverityNumber.SEVERITY_NUMBER_ERROR, ByteString.EMPTY);
      }
      found.addAll(detector.takeFound());
    }
    return found;
  }

  @Test
  void aSteadyStreamRaisesNothing() {
    assertThat(steadyHalfHour()).isEmpty();
  }

  @Test
  void aNewTemplateAfterLearningIsReportedOnce() {
    steadyHalfHour();
    ByteString t = trace(9999);
    assertThat(feed(1801, "payment provider returned HTTP 503 for order 77",
        SeverityNumber.SEVERITY_NUMBER_ERROR, t)).contains(LogAnomaly.Kind.NEW_TEMPLATE);
    LogAnomaly a = detector.takeFound().stream()
        .filter(x -> x.kind() == LogAnomaly.Kind.NEW_TEMPLATE).findFirst().orElseThrow();
    assertThat(a.service()).isEqualTo("checkout");
    assertThat(a.templateText()).isEqualTo("payment provider returned HTTP <*> for order <*>");
    assertThat(a.traceIds()).containsExactly(LogAnomalyDetector.hex(t.toByteArray()));
    assertThat(feed(1802, "payment provider returned HTTP 503 for order 78",
        SeverityNumber.SEVERITY_NUMBER_ERROR, ByteString.EMPTY))
        .doesNotContain(LogAnomaly.Kind.NEW_TEMPLATE);
  }

  @Test
  void nothingIsNewDuringTheLearningPeriod() {
    assertThat(feed(0, "first line ever", SeverityNumber.SEVERITY_NUMBER_INFO, ByteString.EMPTY))
        .isEmpty();
    assertThat(feed(300, "another new kind of line here", SeverityNumber.SEVERITY_NUMBER_INFO,
        ByteString.EMPTY)).isEmpty();
  }

  @Test
  void aBurstOfErrorsIsOneErrorSurgePerWindow() {
    steadyHalfHour();
    List<LogAnomaly.Kind> kinds = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      kinds.addAll(feed(1830, "slow downstream call to inventory after " + i + " ms",
          SeverityNumber.SEVERITY_NUMBER_ERROR, trace(20_000 + i)));
    }
    assertThat(kinds).containsOnlyOnce(LogAnomaly.Kind.ERROR_SURGE);
    assertThat(kinds).containsOnlyOnce(LogAnomaly.Kind.TEMPLATE_SURGE);
    LogAnomaly surge = detector.takeFound().stream()
        .filter(x -> x.kind() == LogAnomaly.Kind.ERROR_SURGE).findFirst().orElseThrow();
    assertThat(surge.count()).isGreaterThanOrEqualTo(10);
    assertThat(surge.expected()).isLessThan(5);
    assertThat(surge.windowEndNanos() - surge.windowStartNanos()).isEqualTo(60 * SECOND);
    assertThat(surge.traceIds()).hasSize(3);
  }

  @Test
  void aTransitionNeverSeenInATraceIsARareSequence() {
    steadyHalfHour();
    ByteString t = trace(30_000);
    // The usual order is GET then cart; the reverse was never seen.
    assertThat(feed(1801, "cart 5 has 2 items", SeverityNumber.SEVERITY_NUMBER_INFO, t)).isEmpty();
    assertThat(feed(1801, "GET /cart/5 took 3 ms", SeverityNumber.SEVERITY_NUMBER_INFO, t))
        .containsExactly(LogAnomaly.Kind.RARE_SEQUENCE);
  }
}
