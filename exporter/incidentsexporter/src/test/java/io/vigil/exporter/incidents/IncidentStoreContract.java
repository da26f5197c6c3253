package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static io.vigil.exporter.incidents.AnomalyRecords.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.vigil.exporter.incidents.internal.AnomalyEvidence;
import io.vigil.exporter.incidents.internal.IncidentStore;
import io.vigil.exporter.incidents.internal.IncidentTracker;
import io.vigil.exporter.incidents.internal.IncidentTracker.Outcome;
import io.vigil.exporter.incidents.internal.NoCauseClassifier;
import io.vigil.exporter.incidents.internal.NoRecommender;
import io.vigil.exporter.incidents.internal.SeverityRule;
import io.vigil.exporter.incidents.internal.TransitionRefusedException;
import io.vigil.exporter.incidents.internal.UnknownIncidentException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grouping, de-duplication, lifecycle and persistence through the tracker, the same for every
 * {@link IncidentStore}: each store's test extends this and says how to open it.
 */
abstract class IncidentStoreContract {

  final MutableClock clock = new MutableClock(T0);
  IncidentStore store;
  IncidentTracker tracker;

  /**
   * Opens the store of this test: a fresh one the first time, the same data again after a
   * {@link IncidentStore#close} (a restart).
   */
  abstract IncidentStore openStore();

  @BeforeEach
  void open() {
    reopen();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void reopen() {
    store = openStore();
    tracker = new IncidentTracker(store, Duration.ofMinutes(10), Duration.ofHours(24),
        new NoCauseClassifier(), new NoRecommender(), clock);
  }

  IncidentTracker.Result record(LogRecord r) {
    return tracker.record(AnomalyEvidence.read(r, null, clock.instant()));
  }

  @Test
  void sameServiceWithinGroupWindowIsOneIncidentAndBeyondItANewOne() {
    var first = record(log("new_template", "orders", "aaaa", "timeout calling <*>", T0));
    var second = record(metric("orders", "http.server.duration{route=/orders}", 0.99,
        T0.plus(Duration.ofMinutes(9))));
    // 10m after the second, the incident's last evidence: still within the window.
    var third = record(log("error_surge", "orders", "bbbb", "db down",
        T0.plus(Duration.ofMinutes(19))));
    var later = record(log("template_surge", "orders", "cccc", "retrying <*>",
        T0.plus(Duration.ofMinutes(30))));

    assertThat(first.outcome()).isEqualTo(Outcome.OPENED);
    assertThat(second).isEqualTo(new IncidentTracker.Result(Outcome.JOINED, first.incidentId()));
    assertThat(third).isEqualTo(new IncidentTracker.Result(Outcome.JOINED, first.incidentId()));
    assertThat(later.outcome()).as("11m after the last evidence").isEqualTo(Outcome.OPENED);
    assertThat(later.incidentId()).isNotEqualTo(first.incidentId());
    assertThat(tracker.get(first.incidentId()).evidence()).hasSize(3);
  }

  @Test
  void sharedTraceJoinsAcrossServicesAndOriginIsTheEarliestAnomaly() {
    var payments = record(log("new_template", "payments", "p1", "card gateway timeout",
        T0, "trace-1", "trace-2"));
    var orders = record(log("error_surge", "orders", "o1", "payment failed for <*>",
        T0.plusSeconds(20), "trace-9", "trace-2"));
    var storefront = record(metric("storefront", "http.server.duration{route=/checkout}",
        0.97, T0.plusSeconds(40), "trace-9"));

    assertThat(orders).isEqualTo(new IncidentTracker.Result(Outcome.JOINED,
        payments.incidentId()));
    assertThat(storefront.incidentId()).as("via trace-9, which only orders' record carried")
        .isEqualTo(payments.incidentId());
    Incident i = tracker.get(payments.incidentId());
    assertThat(i.services()).containsExactly("payments", "orders", "storefront");
    assertThat(i.origin()).isEqualTo("payments");
    assertThat(i.originRule()).as("no spans seen").isEqualTo(Origin.EARLIEST_ANOMALY);
    assertThat(i.traceIds()).containsExactly("trace-1", "trace-2", "trace-9");
  }

  @Test
  void erroringSpansNameTheOriginOverTheEarliestAnomalyAndItSurvivesARestart() {
    // The caller's anomaly is filed first; its traces' spans are not known yet.
    var orders = record(log("error_surge", "orders", "o1", "payment failed for <*>", T0,
        "trace-1"));
    var payments = tracker.record(AnomalyEvidence.read(log("new_template", "payments", "p1",
        "card gateway timeout", T0.plusSeconds(30), "trace-1"), null, clock.instant())
        .withTraceOrigin("payments"));
    assertThat(payments.incidentId()).isEqualTo(orders.incidentId());
    Incident i = tracker.get(orders.incidentId());
    assertThat(i.origin()).as("the spans' answer beats the earlier anomaly").isEqualTo("payments");
    assertThat(i.originRule()).isEqualTo(Origin.TRACE_ERRORS);

    // The spans of orders' trace arrive later and point to payments as well.
    String ordersKey = i.evidence().get(0).key();
    clock.advance(Duration.ofSeconds(5));
    tracker.traceOrigin(i.id(), ordersKey, "payments");
    reopen();
    Incident after = tracker.get(orders.incidentId());
    assertThat(after.evidence()).extracting(Evidence::traceOrigin)
        .containsExactly("payments", "payments");
    assertThat(after.updated()).isEqualTo(clock.instant());
    assertThat(after.origin()).isEqualTo("payments");
  }

  @Test
  void auditEntryIsAppendedWithoutChangingStateOrUpdated() {
    var opened = record(log("error_surge", "orders", "o1", "db down", T0));
    Incident before = tracker.get(opened.incidentId());
    clock.advance(Duration.ofMinutes(3));
    tracker.audit(opened.incidentId(), "vigil", "response", "rule page: dry run");
    Incident after = tracker.get(opened.incidentId());
    assertThat(after.state()).isEqualTo(before.state());
    assertThat(after.updated()).as("an audit does not make the incident look active")
        .isEqualTo(before.updated());
    assertThat(after.timeline()).hasSize(before.timeline().size() + 1);
    TimelineEntry last = after.timeline().get(after.timeline().size() - 1);
    assertThat(last.action()).isEqualTo("response");
    assertThat(last.note()).isEqualTo("rule page: dry run");
    assertThat(last.at()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
  }

  @Test
  void servicesWithoutSharedTracesStayApart() {
    var a = record(log("new_template", "inventory", "i1", "stock low <*>", T0, "trace-a"));
    var b = record(log("new_template", "payments", "p1", "card declined", T0.plusSeconds(5),
        "trace-b"));
    var c = record(metric("orders", "jvm.cpu{}", 0.9, T0.plusSeconds(10)));

    assertThat(List.of(a.outcome(), b.outcome(), c.outcome())).containsOnly(Outcome.OPENED);
    assertThat(List.of(a.incidentId(), b.incidentId(), c.incidentId())).doesNotHaveDuplicates();
    assertThat(tracker.list(IncidentQuery.all(10))).hasSize(3);
  }

  @Test
  void theSameAnomalyDeliveredTwiceIsCountedOnce() {
    LogRecord r = metric("orders", "db.pool.wait{}", 0.95, T0, "t1");
    var first = record(r);
    clock.advance(Duration.ofSeconds(3));
    var again = record(r);
    // Same series, next window: a new anomaly, not a duplicate.
    var next = record(metric("orders", "db.pool.wait{}", 0.95, T0.plusSeconds(30), "t1"));

    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(next.outcome()).isEqualTo(Outcome.JOINED);
    assertThat(tracker.get(first.incidentId()).evidence()).hasSize(2);
  }

  @Test
  void lifecycleAcknowledgeResolveAndReopenWhenTheSignatureRecurs() {
    String id = record(log("new_template", "orders", "o1", "deadlock on <*>", T0)).incidentId();
    clock.advance(Duration.ofMinutes(1));
    assertThat(tracker.acknowledge(id, "alice", "looking").state())
        .isEqualTo(IncidentState.ACKNOWLEDGED);
    assertThatThrownBy(() -> tracker.acknowledge(id, "bob", null))
        .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("acknowledged");
    clock.advance(Duration.ofMinutes(5));
    Incident resolved = tracker.resolve(id, "alice", "database", "killed the long query");
    assertThat(resolved.state()).isEqualTo(IncidentState.RESOLVED);
    assertThat(resolved.resolution().category()).isEqualTo("database");

    // A different template of the same service after resolution: a new incident, no reopen.
    clock.advance(Duration.ofHours(2));
    var other = record(log("new_template", "orders", "o2", "cache miss <*>",
        T0.plus(Duration.ofHours(2))));
    assertThat(other.outcome()).isEqualTo(Outcome.OPENED);
    tracker.resolve(other.incidentId(), "alice", "noise", "harmless");
    // The deadlock template again, 3h after resolution: the first incident comes back.
    var recurred = record(log("template_surge", "orders", "o1", "deadlock on <*>",
        T0.plus(Duration.ofHours(3))));
    assertThat(recurred).isEqualTo(new IncidentTracker.Result(Outcome.REOPENED, id));

    Incident i = tracker.get(id);
    assertThat(i.state()).isEqualTo(IncidentState.REOPENED);
    assertThat(i.resolution().note()).as("the last resolution is kept for reference")
        .isEqualTo("killed the long query");
    assertThat(i.timeline()).extracting(TimelineEntry::action)
        .containsExactly("opened", "acknowledged", "resolved", "reopened");
    assertThat(i.timeline()).extracting(TimelineEntry::actor)
        .containsExactly("vigil", "alice", "alice", "vigil");
    assertThat(i.timeline().get(3).note()).contains("deadlock on <*>");
  }

  @Test
  void recurrenceAfterTheReopenWindowOpensANewIncident() {
    String id = record(log("new_template", "orders", "o1", "deadlock on <*>", T0)).incidentId();
    tracker.resolve(id, "alice", "database", "fixed");
    var recurred = record(log("new_template", "orders", "o1", "deadlock on <*>",
        T0.plus(Duration.ofHours(25))));
    assertThat(recurred.outcome()).isEqualTo(Outcome.OPENED);
    assertThat(tracker.get(id).state()).isEqualTo(IncidentState.RESOLVED);
  }

  @Test
  void manualReopenOnlyFromResolvedAndUnknownIdsAreRefused() {
    String id = record(log("new_template", "orders", "o1", "x", T0)).incidentId();
    assertThatThrownBy(() -> tracker.reopen(id, "bob", "why"))
        .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("open");
    tracker.resolve(id, "bob", "deployment", "rolled back");
    assertThat(tracker.reopen(id, "bob", "came back").state())
        .isEqualTo(IncidentState.REOPENED);
    assertThatThrownBy(() -> tracker.get("inc-999"))
        .isInstanceOf(UnknownIncidentException.class).hasMessageContaining("inc-999");
  }

  @Test
  void severityFollowsKindsScoresCorroborationAndSpread() {
    assertThat(severityOf(log("rare_sequence", "a", "t", "x", T0))).isEqualTo(Severity.LOW);
    assertThat(severityOf(log("new_template", "a", "t", "x", T0))).isEqualTo(Severity.MEDIUM);
    assertThat(severityOf(log("error_surge", "a", "t", "x", T0))).isEqualTo(Severity.HIGH);
    assertThat(severityOf(metric("a", "s", 0.5, T0))).as("0.5 + 0.4 × 0.5").isEqualTo(
        Severity.MEDIUM);
    assertThat(severityOf(metric("a", "s", 1.0, T0))).as("a lone metric is at most high")
        .isEqualTo(Severity.HIGH);
    assertThat(severityOf(log("error_surge", "a", "t", "x", T0), metric("a", "s", 0.2, T0)))
        .as("logs and metrics agree").isEqualTo(Severity.CRITICAL);
    assertThat(severityOf(log("new_template", "a", "t", "x", T0),
        log("new_template", "b", "t", "x", T0), log("new_template", "c", "t", "x", T0)))
        .as("0.7 + 0.1 for spreading to two more services").isEqualTo(Severity.HIGH);
  }

  @Test
  void severityOfAnIncidentRisesAsEvidenceArrives() {
    String id = record(log("new_template", "orders", "o1", "x", T0, "t1")).incidentId();
    assertThat(tracker.get(id).severity()).isEqualTo(Severity.MEDIUM);
    record(metric("orders", "http.errors{}", 0.99, T0.plusSeconds(30), "t1"));
    assertThat(tracker.get(id).severity()).isEqualTo(Severity.CRITICAL);
  }

  private Severity severityOf(LogRecord... records) {
    return SeverityRule.of(java.util.Arrays.stream(records)
        .map(r -> AnomalyEvidence.read(r, null, T0)).toList());
  }

  @Test
  void heldEvidenceIsStoredAsHeldAndDoesNotDateTheIncident() {
    String id = record(log("error_surge", "orders", "o1", "db down", T0.plusSeconds(40)))
        .incidentId();
    Evidence precursor = AnomalyEvidence.read(log("rare_sequence", "storefront", "s0", "retry <*>",
        T0), null, clock.instant()).asHeld();
    store.addEvidence(id, precursor, Severity.MEDIUM, T0.plusSeconds(50), clock.instant());

    store.close();
    reopen();

    Incident i = tracker.get(id);
    assertThat(i.evidence()).extracting(Evidence::held).containsExactly(false, true);
    assertThat(i.started()).isEqualTo(i.evidence().get(0).windowStart())
        .isAfter(precursor.windowStart());
    // Earliest-anomaly origin: the held one is earlier, but not where it began.
    assertThat(i.origin()).isEqualTo("orders");
  }

  @Test
  void incidentsEvidenceStateAndTimelineSurviveARestart() {
    var a = record(log("new_template", "payments", "p1", "card gateway timeout", T0, "tr-1"));
    record(metric("payments", "http.server.duration{route=/pay}", 0.93, T0.plusSeconds(30),
        "tr-1"));
    clock.advance(Duration.ofMinutes(2));
    tracker.acknowledge(a.incidentId(), "alice", "on it");
    tracker.reclassify(a.incidentId(), "alice", "dependency");
    var b = record(log("new_template", "inventory", "i1", "stock sync failed", T0));
    tracker.resolve(b.incidentId(), "bob", "noise", "expected during migration");
    Incident before = tracker.get(a.incidentId());
    Incident beforeB = tracker.get(b.incidentId());

    store.close();
    reopen();

    assertThat(tracker.get(a.incidentId())).isEqualTo(before);
    assertThat(tracker.get(b.incidentId())).isEqualTo(beforeB);
    assertThat(before.evidence()).hasSize(2);
    assertThat(before.evidence().get(1).score()).isEqualTo(0.93);
    assertThat(before.evidence().get(0).score()).isNull();
    assertThat(before.classification()).isEqualTo(new Classification("dependency", 1.0));
    assertThat(before.timeline()).extracting(TimelineEntry::action)
        .containsExactly("opened", "acknowledged", "reclassified");
    // De-duplication and grouping carry on from the stored state.
    assertThat(record(log("new_template", "payments", "p1", "card gateway timeout", T0,
        "tr-1")).outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(record(log("error_surge", "payments", "p2", "x", T0.plusSeconds(60)))
        .incidentId()).isEqualTo(a.incidentId());
    var c = record(log("new_template", "orders", "o9", "y", T0.plusSeconds(61)));
    assertThat(c.incidentId()).as("IDs continue after the restart")
        .isNotIn(a.incidentId(), b.incidentId());
  }
}
