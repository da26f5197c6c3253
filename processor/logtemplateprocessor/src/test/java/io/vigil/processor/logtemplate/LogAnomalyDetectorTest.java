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
  void anAnomalyCarriesTheSeverityOfTheRecordThatRevealedIt() {
    steadyHalfHour();
    feed(1801, "payment provider returned HTTP 503 for order 77",
        SeverityNumber.SEVERITY_NUMBER_ERROR, ByteString.EMPTY);
    feed(1802, "nightly report mailed to 4 recipients", SeverityNumber.SEVERITY_NUMBER_INFO,
        ByteString.EMPTY);
    List<LogAnomaly> found = detector.takeFound();
    assertThat(found).extracting(LogAnomaly::templateText, LogAnomaly::severityNumber)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("payment provider returned HTTP <*> for order <*>",
                SeverityNumber.SEVERITY_NUMBER_ERROR_VALUE),
            org.assertj.core.groups.Tuple.tuple("nightly report mailed to <*> recipients",
                SeverityNumber.SEVERITY_NUMBER_INFO_VALUE));

    var error = LogAnomalyDetector.toRecord(found.get(0)).getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(io.vigil.pdata.AnomalyRecord.SEVERITY_NUMBER))
        .findFirst().orElseThrow();
    assertThat(error.getValue().getIntValue()).isEqualTo(17);
  }

  @Test
  void aRecordWithoutSeverityGivesAnAnomalyWithoutTheAttribute() {
    steadyHalfHour();
    feed(1801, "nightly report mailed to 4 recipients",
        SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED, ByteString.EMPTY);
    LogAnomaly a = detector.takeFound().get(0);
    assertThat(a.severityNumber()).isZero();
    assertThat(LogAnomalyDetector.toRecord(a).getAttributesList())
        .noneMatch(kv -> kv.getKey().equals(io.vigil.pdata.AnomalyRecord.SEVERITY_NUMBER));
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

  /** A detector with the given learning, fed by {@link #feedTo}. */
  private static LogAnomalyDetector learning(Duration period, long records) {
    AnomalyConfig c = new AnomalyConfig();
    c.enabled = true;
    c.learningPeriod = period;
    c.learningRecords = records;
    c.window = Duration.ofSeconds(10);
    return new LogAnomalyDetector(c, 1000);
  }

  private List<LogAnomaly> feedTo(LogAnomalyDetector d, String service, double seconds,
      String body) {
    LogRecord r = LogRecord.newBuilder()
        .setTimeUnixNano(EPOCH * SECOND + (long) (seconds * SECOND))
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).build();
    d.observe(service, miner.add(body), r);
    return d.takeFound();
  }

  @Test
  void aSlowStartAndLateFirstRequestsAreLearntNotReported() {
    // What the demo's services do on a busy machine: 20 start-up lines over 50 s (past a 20 s
    // learning period), the first request 10 s later, then a steady 10 requests a second.
    LogAnomalyDetector d = learning(Duration.ofSeconds(20), 100);
    List<LogAnomaly> found = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      found.addAll(feedTo(d, "payments", 2.5 * i, "start-up step " + (char) ('a' + i)
          + " finished"));
    }
    found.addAll(feedTo(d, "payments", 60, "Initializing Servlet dispatcherServlet"));
    found.addAll(feedTo(d, "payments", 60, "Completed initialization in 7 ms"));
    for (int i = 0; i < 80; i++) {
      found.addAll(feedTo(d, "payments", 60 + i / 10.0, "Charged " + i + " for order " + i));
      if (i == 40) {
        found.addAll(feedTo(d, "payments", 64, "Card of order " + i + " needs 3-D Secure"));
      }
    }
    assertThat(found).as("everything before the 100th record is learnt").isEmpty();

    assertThat(feedTo(d, "payments", 70, "Request failed: injected error for order 7"))
        .extracting(LogAnomaly::kind).containsExactly(LogAnomaly.Kind.NEW_TEMPLATE);
  }

  @Test
  void aBusyServiceStillLearnsForTheWholePeriod() {
    LogAnomalyDetector d = learning(Duration.ofSeconds(20), 100);
    for (int i = 0; i < 500; i++) {
      assertThat(feedTo(d, "orders", i / 100.0, "Order " + i + " confirmed")).isEmpty();
    }
    assertThat(feedTo(d, "orders", 19, "Order 1 needs a manual check")).isEmpty();
    assertThat(feedTo(d, "orders", 21, "Order 2 sent to the warehouse"))
        .extracting(LogAnomaly::kind).containsExactly(LogAnomaly.Kind.NEW_TEMPLATE);
  }

  @Test
  void aServiceFirstSeenLaterHasALearningPeriodOfItsOwn() {
    LogAnomalyDetector d = learning(Duration.ofSeconds(20), 10);
    for (int i = 0; i < 30; i++) {
      feedTo(d, "storefront", i, "Listed " + i + " products");
    }
    assertThat(feedTo(d, "storefront", 31, "Cart 5 abandoned")).hasSize(1);
    // A new service, 10 minutes on: its start-up is learnt, not news.
    for (int i = 0; i < 10; i++) {
      assertThat(feedTo(d, "recommendations", 600 + i, "model shard " + (char) ('a' + i)
          + " loaded")).isEmpty();
    }
    assertThat(feedTo(d, "recommendations", 625, "Recommended 3 items for cart 5")).hasSize(1);
  }

  @Test
  void noLearningRecordsMeansTheTimeAlone() {
    LogAnomalyDetector d = learning(Duration.ofSeconds(20), 0);
    assertThat(feedTo(d, "inventory", 0, "Stock counted")).isEmpty();
    assertThat(feedTo(d, "inventory", 21, "Stock of kettle low")).hasSize(1);
  }
}
