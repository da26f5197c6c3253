package io.vigil.eval.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exporter.incidents.OpeningConfig;
import io.vigil.exporter.incidents.internal.AnomalyJournal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer on the inputs recorded from hand runs of {@code bin/vigil-demo --scenario
 * faults-short} (faults.jsonl, and the incident rows {@code incidents-vs-faults --save-rows}
 * wrote): the figures docs/evaluation.md reports, recomputed.
 */
class RecordedDemoRunsTest {

  @TempDir Path replayStore;

  private static FaultIncidentScorer.Score score(String run) throws Exception {
    Path dir = Path.of("src/test/resources/faults", run);
    return new FaultIncidentScorer(FaultIncidentScorer.DEFAULT_LEAD,
        FaultIncidentScorer.DEFAULT_TAIL).score(FaultLabel.read(dir.resolve("faults.jsonl")),
        IncidentRow.read(dir.resolve("incidents.json")), -1);
  }

  @Test
  void run1WithATwoMinuteGroupWindowFoldedEveryFaultIntoStartUpIncidents() throws Exception {
    var s = score("run1-group2m");

    assertThat(s.faults()).hasSize(3);
    assertThat(s.exactlyOne()).isZero();
    assertThat(s.detected()).isZero();
    assertThat(s.noise()).hasSize(8);
    assertThat(s.incidents()).isEqualTo(8);
    assertThat(s.rawAnomalies()).isEqualTo(84);
  }

  @Test
  void run2WithAOneMinuteGroupWindowFoundTheErrorFaultAsOneIncident() throws Exception {
    var s = score("run2-group1m");

    assertThat(s.faults()).extracting(f -> f.onService().size()).containsExactly(1, 0, 2);
    // The outage on orders became one incident with orders in it, but its origin is its
    // caller storefront: both services' first anomalies share one 10 s window.
    assertThat(s.faults().get(1).elsewhere()).singleElement()
        .satisfies(i -> assertThat(i.services()).contains("orders"));
    assertThat(s.exactlyOne()).isEqualTo(1);
    assertThat(s.detected()).isEqualTo(2);
    assertThat(s.elsewhere()).isEqualTo(5);
    assertThat(s.noise()).hasSize(5);
    assertThat(s.incidents()).isEqualTo(13);
    assertThat(s.rawAnomalies()).isEqualTo(102);
  }

  @Test
  void run3WithTheQuietEndFoundTwoFaultsAsExactlyOneIncidentEach() throws Exception {
    var s = score("run3-group1m-12min");

    assertThat(s.faults()).extracting(f -> f.onService().size()).containsExactly(1, 1, 2);
    assertThat(s.faults().get(1).onService()).singleElement()
        .satisfies(i -> assertThat(i.services()).containsExactly("orders", "storefront"));
    // The storm's second "incident" is the agents' export counters alarming on all four
    // services at once as the metric warm-up ends, 25 s after the storm: a coincidence.
    assertThat(s.faults().get(2).onService()).extracting(IncidentRow::title)
        .anySatisfy(t -> assertThat(t).contains("otlp.exporter.exported"));
    assertThat(s.exactlyOne()).isEqualTo(2);
    assertThat(s.detected()).isEqualTo(3);
    assertThat(s.elsewhere()).isEqualTo(5);
    assertThat(s.noise()).hasSize(5);
    assertThat(s.incidents()).isEqualTo(14);
    assertThat(s.rawAnomalies()).isEqualTo(131);
  }

  @Test
  void run4WithLearningRecordsAndTraceOriginsFoundEachFaultAsExactlyOneIncident()
      throws Exception {
    var s = score("run4-learning50-traceorigin");

    assertThat(s.faults()).extracting(f -> f.onService().size()).containsExactly(1, 1, 1);
    // The error fault's first evidence is storefront's (its callers' errors); the spans name
    // payments, the deepest erroring service, as its origin.
    assertThat(s.faults().get(0).onService()).singleElement()
        .satisfies(i -> assertThat(i.services()).contains("storefront", "payments"));
    assertThat(s.exactlyOne()).isEqualTo(3);
    assertThat(s.detected()).isEqualTo(3);
    assertThat(s.elsewhere()).isZero();
    // Four in the first seconds of traffic, one rare stock message, four at shutdown.
    assertThat(s.noise()).hasSize(9);
    assertThat(s.noise()).filteredOn(i -> i.title().contains("Stopping service")
        || i.title().contains("Pausing ProtocolHandler")).hasSize(4);
    assertThat(s.noise()).noneSatisfy(i -> assertThat(i.title()).contains("otlp.exporter"));
    assertThat(s.incidents()).isEqualTo(12);
    assertThat(s.rawAnomalies()).isEqualTo(58);
  }

  @Test
  void run5WithTheOpeningPolicyOnAnOverloadedMachineFoundOnlyTheStorm() throws Exception {
    var s = score("run5-opening-policy");

    // The services erred for real from their first requests (connect timeouts, I/O errors on a
    // machine at load 26): ERROR messages open incidents under any policy, and the error
    // fault's records joined the incidents open on payments and orders.
    assertThat(s.faults()).extracting(f -> f.onService().size()).containsExactly(0, 0, 1);
    assertThat(s.exactlyOne()).isEqualTo(1);
    assertThat(s.detected()).isEqualTo(1);
    assertThat(s.elsewhere()).isEqualTo(1);
    assertThat(s.noise()).hasSize(6);
    assertThat(s.incidents()).isEqualTo(8);
    assertThat(s.rawAnomalies()).isEqualTo(69);
    // The run's journal: every record read, 39 of them never filed under an incident.
    assertThat(AnomalyJournal.read(Path.of("src/test/resources/faults/run5-opening-policy",
        "anomalies.jsonl"))).hasSize(108);
  }

  @Test
  void run6TheFortyMinuteFaultsScenarioGivesSixOfSevenFaultsOneIncidentEach() throws Exception {
    var s = score("run6-faults-40min");

    // Every kind once; the latency fault (minute 8) comes before the anomaly connector's
    // 10-minute warm-up and shows in no log: missed. The others: one incident on their service.
    assertThat(s.faults()).extracting(f -> f.fault().kind() + "=" + f.onService().size())
        .containsExactly("error_rate=1", "latency=0", "dependency_outage=1", "slow_query=1",
            "cpu_burn=1", "memory_leak=1", "log_storm=1");
    assertThat(s.exactlyOne()).isEqualTo(6);
    // The slow queries' latency on inventory's callers opened two incidents of their own.
    assertThat(s.faults().get(3).elsewhere()).extracting(IncidentRow::origin)
        .containsExactlyInAnyOrder("storefront", "orders");
    assertThat(s.elsewhere()).isEqualTo(3);
    assertThat(s.noise()).hasSize(2);
    assertThat(s.incidents()).isEqualTo(11);
    assertThat(s.rawAnomalies()).isEqualTo(118);
  }

  @Test
  void run6WithoutTheFaultInjectorsOwnCallsLosesTheMemoryLeak() throws Exception {
    // Live, the memory leak's incident opened from weak signals adding up, and one of the
    // three was the span series of the injector's own POST /admin/faults/memory_leak call: an
    // announcement, not a detection. Without the injector's calls (the demo config now filters
    // them out) its heap signals stayed held and expired.
    Path dir = Path.of("src/test/resources/faults/run6-faults-40min");
    var records = AnomalyJournal.read(dir.resolve("anomalies.jsonl")).stream()
        .filter(r -> r.evidence().series() == null
            || !r.evidence().series().contains("/admin/")).toList();
    assertThat(records).hasSize(179);
    var r = AnomalyReplay.replay(records, Duration.ofMinutes(1), new OpeningConfig(),
        replayStore.resolve("run6-without-injector"));
    var s = new FaultIncidentScorer(FaultIncidentScorer.DEFAULT_LEAD,
        FaultIncidentScorer.DEFAULT_TAIL).score(FaultLabel.read(dir.resolve("faults.jsonl")),
        r.incidents(), -1);

    assertThat(s.faults()).extracting(f -> f.fault().kind() + "=" + f.onService().size())
        .containsExactly("error_rate=1", "latency=0", "dependency_outage=1", "slow_query=1",
            "cpu_burn=1", "memory_leak=0", "log_storm=1");
    assertThat(s.exactlyOne()).isEqualTo(5);
    assertThat(s.elsewhere()).isEqualTo(3);
    assertThat(s.noise()).hasSize(2);
    assertThat(s.incidents()).isEqualTo(10);
  }

  @Test
  void run7WithTheInjectorFilteredOutGivesSixOfSevenFaultsOneIncidentEach() throws Exception {
    var s = score("run7-faults-40min-control-plane-filtered");

    // The demo config with filter/control_plane: no record of the injector's calls, and the
    // memory leak is found from its heap after GC; the latency fault still precedes warm-up.
    assertThat(AnomalyJournal.read(Path.of("src/test/resources/faults",
        "run7-faults-40min-control-plane-filtered", "anomalies.jsonl")))
        .noneMatch(r -> r.evidence().series() != null
            && r.evidence().series().contains("/admin/"));
    assertThat(s.faults()).extracting(f -> f.fault().kind() + "=" + f.onService().size())
        .containsExactly("error_rate=1", "latency=0", "dependency_outage=1", "slow_query=1",
            "cpu_burn=1", "memory_leak=1", "log_storm=1");
    assertThat(s.exactlyOne()).isEqualTo(6);
    assertThat(s.elsewhere()).isZero();
    assertThat(s.noise()).hasSize(4);
    assertThat(s.incidents()).isEqualTo(10);
    assertThat(s.rawAnomalies()).isEqualTo(109);
  }

  /**
   * Runs 8 and 9: held out. Neither the opening policy nor the demo config was changed after
   * them. They ran side by side (two demos and five helper builds on two cores, load average
   * 20 to 57), run 8 the `faults` scenario with seed 3, run 9 `faults-b` (another order, the
   * first fault after the warm-up) with seed 2.
   */
  @Test
  void heldOutRun8FoundThreeOfSevenFaultsAsExactlyOneIncident() throws Exception {
    var s = score("run8-faults-seed3-heldout");

    assertThat(s.faults()).extracting(f -> f.fault().kind() + "=" + f.onService().size())
        .containsExactly("error_rate=2", "latency=0", "dependency_outage=1", "slow_query=1",
            "cpu_burn=0", "memory_leak=0", "log_storm=1");
    assertThat(s.exactlyOne()).isEqualTo(3);
    assertThat(s.elsewhere()).isEqualTo(2);
    assertThat(s.noise()).hasSize(7);
    assertThat(s.incidents()).isEqualTo(14);
    assertThat(s.rawAnomalies()).isEqualTo(96);
  }

  @Test
  void heldOutRun9FoundFourOfSevenFaultsAsExactlyOneIncident() throws Exception {
    var s = score("run9-faults-b-seed2-heldout");

    assertThat(s.faults()).extracting(f -> f.fault().kind() + "=" + f.onService().size())
        .containsExactly("latency=0", "log_storm=1", "memory_leak=0", "cpu_burn=1",
            "error_rate=2", "dependency_outage=1", "slow_query=1");
    assertThat(s.exactlyOne()).isEqualTo(4);
    assertThat(s.elsewhere()).isEqualTo(2);
    assertThat(s.noise()).hasSize(5);
    assertThat(s.incidents()).isEqualTo(13);
    assertThat(s.rawAnomalies()).isEqualTo(133);
  }

  /**
   * Run 10 (faults, seed 4) with the failure predictor live, trained on run 8: its chance-level
   * predictions opened incidents first, and the faults' evidence joined them. The model loaded
   * first (19:27-19:33) had been trained with both runs' labels by mistake; the clean one from
   * 19:33:19.
   */
  @Test
  void heldOutRun10WithTheFailurePredictorLiveFoundOneFaultOfSeven() throws Exception {
    var s = score("run10-faults-seed4-predictor-heldout");

    assertThat(s.exactlyOne()).isEqualTo(1);
    assertThat(s.elsewhere()).isEqualTo(5);
    assertThat(s.noise()).hasSize(6);
    assertThat(s.noise()).filteredOn(i -> i.title().contains("failure predicted")).hasSize(5);
    assertThat(s.incidents()).isEqualTo(12);
  }

  @Test
  void run6ReplayedFromItsJournalGivesWhatItGaveLive() throws Exception {
    var s = replayed("run6-faults-40min", Duration.ofMinutes(1));

    // The replay (records in their order of arrival, the clock at each) is the live run again:
    // what makes replays of earlier runs worth their figures.
    assertThat(s.faults()).extracting(f -> f.onService().size())
        .containsExactly(1, 0, 1, 1, 1, 1, 1);
    assertThat(s.elsewhere()).isEqualTo(3);
    assertThat(s.noise()).hasSize(2);
    assertThat(s.incidents()).isEqualTo(11);
  }

  /**
   * Runs 1-4's anomaly records (anomalies.jsonl: every piece of evidence of the run's store,
   * with each log anomaly's severity looked up in the services' logs, see
   * store-to-anomalies.py) replayed through the default opening policy with the run's group
   * window, scored as the live runs were.
   */
  private FaultIncidentScorer.Score replayed(String run, Duration groupWindow) throws Exception {
    Path dir = Path.of("src/test/resources/faults", run);
    AnomalyReplay.Replayed r = AnomalyReplay.replay(
        AnomalyJournal.read(dir.resolve("anomalies.jsonl")), groupWindow, new OpeningConfig(),
        replayStore.resolve(run));
    var s = new FaultIncidentScorer(FaultIncidentScorer.DEFAULT_LEAD,
        FaultIncidentScorer.DEFAULT_TAIL).score(FaultLabel.read(dir.resolve("faults.jsonl")),
        r.incidents(), -1);
    System.out.printf("%s replayed: %d records, %d held, %d released, %d not opened%n", run,
        r.records(), r.held(), r.released(), r.expired());
    FaultIncidentsEvaluation.print(s, System.out);
    return s;
  }

  @Test
  void run4ReplayedWithTheOpeningPolicyKeepsEachFaultAndDropsTheStartAndMostOfTheStop()
      throws Exception {
    var s = replayed("run4-learning50-traceorigin", Duration.ofMinutes(1));

    assertThat(s.faults()).extracting(f -> f.onService().size()).containsExactly(1, 1, 1);
    assertThat(s.exactlyOne()).isEqualTo(3);
    assertThat(s.elsewhere()).isZero();
    // Left: the new WARN "Stock of espresso-beans low" on inventory, and orders' shutdown,
    // opened by Tomcat's thread-leak WARN, its INFO shutdown lines held and joined into it.
    assertThat(s.noise()).hasSize(2);
    assertThat(s.noise()).extracting(IncidentRow::title)
        .anySatisfy(t -> assertThat(t).contains("Stock of espresso-beans low"))
        .anySatisfy(t -> assertThat(t).contains("appears to have started a thread"));
    assertThat(s.incidents()).isEqualTo(5);
    assertThat(s.rawAnomalies()).isEqualTo(28);
  }

  @Test
  void run5ReplayedTheOutageIsOneIncidentOnceHeldSignalsDoNotDateIt() throws Exception {
    var s = replayed("run5-opening-policy", Duration.ofMinutes(1));

    // Live, the outage's incident on orders took in a rare sequence held from before the
    // fault's lead, which dated it before the fault: noise. Held signals no longer date an
    // incident, so it is the outage's one incident. The error fault stays lost: its records
    // joined incidents the real errors of the overloaded machine had opened before it.
    assertThat(s.faults()).extracting(f -> f.onService().size()).containsExactly(0, 1, 1);
    assertThat(s.exactlyOne()).isEqualTo(2);
    assertThat(s.elsewhere()).isEqualTo(1);
    assertThat(s.noise()).hasSize(5);
    assertThat(s.incidents()).isEqualTo(8);
  }

  @Test
  void runs1To3ReplayedWithTheOpeningPolicy() throws Exception {
    // Run 1's two-minute window still folds every fault into earlier incidents.
    var run1 = replayed("run1-group2m", Duration.ofMinutes(2));
    assertThat(run1.exactlyOne()).isZero();
    assertThat(run1.incidents()).isEqualTo(3);

    var run2 = replayed("run2-group1m", Duration.ofMinutes(1));
    assertThat(run2.exactlyOne()).isEqualTo(2);
    assertThat(run2.elsewhere()).isEqualTo(3);
    assertThat(run2.noise()).hasSize(2);
    assertThat(run2.incidents()).isEqualTo(7);

    var run3 = replayed("run3-group1m-12min", Duration.ofMinutes(1));
    assertThat(run3.exactlyOne()).isEqualTo(3);
    assertThat(run3.elsewhere()).isEqualTo(2);
    assertThat(run3.noise()).hasSize(4);
    assertThat(run3.incidents()).isEqualTo(9);
  }
}
