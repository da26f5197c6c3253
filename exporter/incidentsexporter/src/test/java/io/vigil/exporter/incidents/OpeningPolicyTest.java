package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static io.vigil.exporter.incidents.AnomalyRecords.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.exporter.incidents.internal.AnomalyEvidence;
import io.vigil.exporter.incidents.internal.H2IncidentStore;
import io.vigil.exporter.incidents.internal.IncidentTracker;
import io.vigil.exporter.incidents.internal.IncidentTracker.Outcome;
import io.vigil.exporter.incidents.internal.NoCauseClassifier;
import io.vigil.exporter.incidents.internal.NoRecommender;
import io.vigil.exporter.incidents.internal.OpeningPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opening policy through the tracker, with the defaults: strong evidence opens, weak
 * signals are held, join an incident that opens for their service or traces, add up when they
 * persist, or expire as signals not opened. The clock is moved by hand.
 */
class OpeningPolicyTest {

  private static final int INFO = 9;
  private static final int WARN = 13;
  private static final int ERROR = 17;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private H2IncidentStore store;
  private IncidentTracker tracker;

  @BeforeEach
  void open() {
    store = H2IncidentStore.open(dir);
    tracker = tracker(new OpeningConfig());
  }

  private IncidentTracker tracker(OpeningConfig c) {
    return new IncidentTracker(store, Duration.ofMinutes(1), Duration.ofHours(24),
        new NoCauseClassifier(), new NoRecommender(), clock,
        OpeningPolicy.of(c, Duration.ofMinutes(1)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private IncidentTracker.Result record(LogRecord r) {
    return tracker.record(AnomalyEvidence.signal(r, null, clock.instant()));
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aNewErrorOrWarningMessageOpensAtOnce() {
    assertThat(record(log("new_template", "payments", "p1", "card declined <*>", at(0), ERROR))
        .outcome()).isEqualTo(Outcome.OPENED);
    assertThat(record(log("new_template", "orders", "o1", "stock low <*>", at(0), WARN))
        .outcome()).isEqualTo(Outcome.OPENED);
    assertThat(tracker.get("inc-1").timeline().get(0).note()).contains("new message at ERROR");
  }

  @Test
  void surgesAndUnknownKindsOpenWhateverTheirSeverity() {
    assertThat(record(log("error_surge", "orders", "o1", "db down", at(0), INFO)).outcome())
        .isEqualTo(Outcome.OPENED);
    assertThat(record(log("template_surge", "inventory", "i1", "retry <*>", at(0), INFO))
        .outcome()).isEqualTo(Outcome.OPENED);
    assertThat(record(log("alertmanager", "payments", "a1", "HighLatency", at(0))).outcome())
        .isEqualTo(Outcome.OPENED);
  }

  @Test
  void aNewTemplateWithoutSeverityOpensRatherThanBeingHeldOnAGuess() {
    assertThat(record(log("new_template", "orders", "o1", "hello <*>", at(0))).outcome())
        .isEqualTo(Outcome.OPENED);
  }

  @Test
  void aLoneInfoMessageOrRareSequenceIsHeldThenExpiresCounted() {
    assertThat(record(log("new_template", "storefront", "s1", "Checkout of <*> x grinder",
        at(0), INFO)).outcome()).isEqualTo(Outcome.HELD);
    assertThat(record(log("rare_sequence", "inventory", "i1", "Reserved <*>", at(0), ERROR,
        "t1")).outcome()).isEqualTo(Outcome.HELD);
    assertThat(tracker.list(IncidentQuery.all(10))).isEmpty();
    assertThat(tracker.heldSignals()).hasSize(2);

    clock.advance(Duration.ofSeconds(59));
    assertThat(tracker.expire()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(tracker.expire()).extracting(Evidence::service)
        .containsExactly("storefront", "inventory");

    var past = tracker.signalsNotOpened(10);
    assertThat(past.total()).isEqualTo(2);
    assertThat(past.latest()).extracting(n -> n.reason()).containsExactly(
        "rare trace sequence: a known message in a new order",
        "new message at INFO, below opening::min_severity");
    assertThat(tracker.heldSignals()).isEmpty();
    assertThat(tracker.list(IncidentQuery.all(10))).isEmpty();
  }

  @Test
  void heldSignalsJoinTheIncidentThatOpensForTheirService() {
    record(log("new_template", "payments", "p1", "retrying charge <*>", at(0), INFO));
    clock.advance(Duration.ofSeconds(20));
    var opened = record(log("error_surge", "payments", "p2", "charge failed", at(20), ERROR));

    assertThat(opened.outcome()).isEqualTo(Outcome.OPENED);
    assertThat(opened.released()).extracting(Evidence::templateId).containsExactly("p1");
    assertThat(tracker.get(opened.incidentId()).evidence()).hasSize(2);
    assertThat(tracker.heldSignals()).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    assertThat(tracker.expire()).isEmpty();
  }

  @Test
  void aHeldSignalFiledWithAnIncidentDoesNotDateIt() {
    record(log("rare_sequence", "orders", "o1", "Reserved <*>", at(0), INFO));
    clock.advance(Duration.ofSeconds(40));
    var opened = record(log("error_surge", "orders", "o2", "charge failed", at(40), ERROR));

    Incident i = tracker.get(opened.incidentId());
    assertThat(i.evidence()).extracting(Evidence::templateId, Evidence::held)
        .containsExactly(tuple("o2", false), tuple("o1", true));
    // The incident began with the surge, not with the rare sequence held 40 s before it.
    assertThat(i.started()).isEqualTo(i.evidence().get(0).windowStart())
        .isAfter(i.evidence().get(1).windowStart());
    // Kept across a restart: the flag is stored with the evidence.
    store.close();
    store = H2IncidentStore.open(dir);
    assertThat(store.find(opened.incidentId()).orElseThrow().started()).isEqualTo(i.started());
  }

  @Test
  void heldSignalsJoinTheIncidentOfAnotherServiceOnTheirTraces() {
    record(log("rare_sequence", "inventory", "i1", "Reserved <*>", at(0), INFO, "trace-a"));
    var opened = record(log("new_template", "orders", "o1", "Order <*> failed", at(5), ERROR,
        "trace-a"));

    assertThat(opened.released()).extracting(Evidence::service).containsExactly("inventory");
    assertThat(tracker.get(opened.incidentId()).services())
        .containsExactlyInAnyOrder("orders", "inventory");
  }

  @Test
  void aHeldSignalFromBeforeTheGroupWindowDoesNotJoin() {
    record(log("new_template", "payments", "p1", "retrying charge <*>", at(0), INFO));
    clock.advance(Duration.ofSeconds(50));
    // Record time 90 s later: further back than the group window, though still held.
    var opened = record(log("error_surge", "payments", "p2", "charge failed", at(90), ERROR));

    assertThat(opened.released()).isEmpty();
    assertThat(tracker.heldSignals()).hasSize(1);
  }

  @Test
  void aWeakSignalJoinsAnActiveIncidentOfItsService() {
    String id = record(log("error_surge", "orders", "o1", "db down", at(0), ERROR)).incidentId();
    var joined = record(log("rare_sequence", "orders", "o2", "retry <*>", at(10), INFO));

    assertThat(joined.outcome()).isEqualTo(Outcome.JOINED);
    assertThat(joined.incidentId()).isEqualTo(id);
  }

  @Test
  void aBurstOfWeakSignalsAtOneInstantStaysHeld() {
    // What a service says when it stops: many new INFO messages, all in one window.
    for (int k = 0; k < 6; k++) {
      assertThat(record(log("new_template", "orders", "stop" + k, "Stopping thing " + k,
          at(0), INFO)).outcome()).isEqualTo(Outcome.HELD);
    }
    assertThat(record(metric("orders", "log.template.records{log.template.id=ab}", 0.92,
        at(4))).outcome()).isEqualTo(Outcome.HELD);
    assertThat(tracker.list(IncidentQuery.all(10))).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.expire()).hasSize(7);
  }

  @Test
  void weakSignalsThatPersistAddUpToAnIncident() {
    record(log("new_template", "inventory", "i1", "cache miss for <*>", at(0), INFO));
    clock.advance(Duration.ofSeconds(20));
    record(log("rare_sequence", "inventory", "i2", "Reserved <*>", at(20), INFO));
    clock.advance(Duration.ofSeconds(15));
    var third = record(metric("inventory", "jvm.memory.used{pool=heap}", 0.7, at(35)));

    assertThat(third.outcome()).isEqualTo(Outcome.OPENED);
    var incident = tracker.get(third.incidentId());
    assertThat(incident.evidence()).extracting(Evidence::templateId)
        .containsExactly("i1", "i2", null);
    assertThat(incident.title()).contains("cache miss");
    assertThat(incident.timeline().get(0).note()).contains("weak signals adding up");
    assertThat(third.released()).hasSize(2);
    // They are the incident, not context held before it: the first of them dates it.
    assertThat(incident.evidence()).noneMatch(Evidence::held);
    assertThat(incident.started()).isEqualTo(incident.evidence().get(0).windowStart());
  }

  @Test
  void repeatsOfOneSignatureDoNotAddUp() {
    for (int k = 0; k < 5; k++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(record(log("rare_sequence", "inventory", "i1", "Reserved <*>", at(10 * k),
          INFO, "t" + k)).outcome()).isEqualTo(Outcome.HELD);
    }
  }

  @Test
  void errorAndLatencySeriesAreStrongOtherMetricsWeak() {
    assertThat(record(metric("orders", "http.server.request.duration{route=/orders}", 0.6,
        at(0))).outcome()).isEqualTo(Outcome.OPENED);
    assertThat(record(metric("payments", "traces.span.metrics.calls{status.code=STATUS_CODE_ERROR}",
        0.6, at(0))).outcome()).isEqualTo(Outcome.OPENED);
    assertThat(record(metric("inventory", "traces.span.metrics.calls{status.code=STATUS_CODE_UNSET}",
        0.99, at(0))).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void aMinScoreMakesAHighScoreStrong() {
    OpeningConfig c = new OpeningConfig();
    c.minScore = 0.9;
    tracker = tracker(c);
    assertThat(record(metric("inventory", "process.cpu.usage", 0.95, at(0))).outcome())
        .isEqualTo(Outcome.OPENED);
    assertThat(record(metric("orders", "process.cpu.usage", 0.85, at(0))).outcome())
        .isEqualTo(Outcome.HELD);
  }

  @Test
  void policyEveryOpensOnEveryRecordAsBefore() {
    OpeningConfig c = new OpeningConfig();
    c.policy = "every";
    tracker = tracker(c);
    assertThat(record(log("rare_sequence", "inventory", "i1", "Reserved <*>", at(0), INFO))
        .outcome()).isEqualTo(Outcome.OPENED);
  }

  @Test
  void aSignalDeliveredTwiceWhileHeldIsADuplicate() {
    record(log("new_template", "storefront", "s1", "hello <*>", at(0), INFO));
    assertThat(record(log("new_template", "storefront", "s1", "hello <*>", at(0), INFO))
        .outcome()).isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void stoppingExpiresEveryHeldSignalWithTheReason() {
    record(log("new_template", "storefront", "s1", "hello <*>", at(0), INFO));
    assertThat(tracker.expireAll("the gateway stopped")).hasSize(1);
    assertThat(tracker.signalsNotOpened(10).latest().get(0).reason())
        .endsWith("; the gateway stopped");
  }

  @Test
  void onlyTheLatestSignalsNotOpenedAreKeptButAllAreCounted() {
    OpeningConfig c = new OpeningConfig();
    c.maxKept = 2;
    tracker = tracker(c);
    for (int k = 0; k < 5; k++) {
      record(log("new_template", "svc" + k, "x" + k, "hello <*>", at(0), INFO));
    }
    clock.advance(Duration.ofMinutes(2));
    var past = tracker.signalsNotOpened(10);
    assertThat(past.total()).isEqualTo(5);
    assertThat(past.latest()).extracting(n -> n.signal().evidence().service())
        .containsExactly("svc4", "svc3");
  }
}
