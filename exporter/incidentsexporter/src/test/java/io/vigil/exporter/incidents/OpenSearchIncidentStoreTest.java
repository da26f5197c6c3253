package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.exporter.incidents.internal.AnomalyEvidence;
import io.vigil.exporter.incidents.internal.IncidentStore;
import io.vigil.exporter.incidents.internal.IncidentTracker;
import io.vigil.exporter.incidents.internal.NoCauseClassifier;
import io.vigil.exporter.incidents.internal.NoRecommender;
import io.vigil.exporter.incidents.internal.SearchEngineIncidentStore;
import io.vigil.exporter.incidents.internal.TransitionRefusedException;
import io.vigil.testing.FreePort;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real OpenSearch node in this JVM (one node for the class, one index
 * per test), and what only a shared store must do: two replicas writing one incident.
 */
class OpenSearchIncidentStoreTest extends IncidentStoreContract {

  private static final AtomicInteger INDICES = new AtomicInteger();
  private static OpenSearchRunner runner;
  private static URI url;

  private final String index = "vigil-incidents-" + INDICES.incrementAndGet();

  @BeforeAll
  static void startOpenSearch() {
    int http = FreePort.pick();
    int transport = FreePort.pick();
    runner = new OpenSearchRunner();
    // The runner probes for a free port itself unless told there is no upper bound.
    runner.setMaxHttpPort(-1);
    runner.onBuild((n, s) -> {
      s.put("network.host", "127.0.0.1");
      s.put("http.port", String.valueOf(http));
      s.put("transport.port", String.valueOf(transport));
    }).build(OpenSearchRunner.newConfigs().numOfNode(1).baseHttpPort(http - 1)
        .disableESLogger());
    runner.ensureYellow();
    url = URI.create("http://127.0.0.1:" + http);
  }

  @AfterAll
  static void stopOpenSearch() throws Exception {
    if (runner != null) {
      runner.close();
      runner.clean();
    }
  }

  @Override
  IncidentStore openStore() {
    return replica();
  }

  /** Another gateway replica's store: its own client on the same index. */
  private SearchEngineIncidentStore replica() {
    return SearchEngineIncidentStore.open(List.of(url), index, Duration.ofSeconds(30), "", "");
  }

  private IncidentTracker trackerOn(IncidentStore s) {
    return new IncidentTracker(s, Duration.ofMinutes(10), Duration.ofHours(24),
        new NoCauseClassifier(), new NoRecommender(), clock);
  }

  @Test
  void anUnreachableFirstEndpointFailsOverToTheNext() {
    int closed = FreePort.pick();
    try (var s = SearchEngineIncidentStore.open(List.of(URI.create("http://127.0.0.1:" + closed),
        url), index, Duration.ofSeconds(30), "", "")) {
      var id = trackerOn(s).record(AnomalyEvidence.read(log("new_template", "orders", "o1", "x",
          T0), null, T0)).incidentId();
      assertThat(tracker.get(id).title()).contains("x");
    }
  }

  @Test
  void twoReplicasResolvingOneIncidentGiveOneResolutionAndOneRefusal() {
    String id = record(log("new_template", "orders", "o1", "deadlock on <*>", T0)).incidentId();
    // Both replicas read it open; one resolves, then the other writes its stale decision.
    IncidentStore a = store;
    try (SearchEngineIncidentStore b = replica()) {
      Instant now = clock.instant();
      a.transition(id, IncidentState.RESOLVED, new Resolution("database", "killed", now),
          new TimelineEntry(now, "alice", "resolved", IncidentState.RESOLVED, "database"));
      assertThatThrownBy(() -> b.transition(id, IncidentState.RESOLVED,
          new Resolution("network", "rerouted", now),
          new TimelineEntry(now, "bob", "resolved", IncidentState.RESOLVED, "network")))
          .isInstanceOf(TransitionRefusedException.class).hasMessageContaining("resolved already");
    }
    Incident i = tracker.get(id);
    assertThat(i.resolution().category()).isEqualTo("database");
    assertThat(i.timeline()).extracting(TimelineEntry::action).containsExactly("opened",
        "resolved");
  }

  @Test
  void replicasRacingToResolveLeaveExactlyOneResolution() throws Exception {
    String id = record(log("new_template", "orders", "o1", "deadlock on <*>", T0)).incidentId();
    List<SearchEngineIncidentStore> replicas = List.of(replica(), replica(), replica());
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int r = 0; r < replicas.size(); r++) {
        IncidentTracker t = trackerOn(replicas.get(r));
        String who = "replica-" + r;
        results.add(pool.submit(() -> {
          go.await();
          try {
            t.resolve(id, who, "database", "by " + who);
            return true;
          } catch (TransitionRefusedException refused) {
            return false;
          }
        }));
      }
      go.countDown();
      int resolved = 0;
      for (Future<Boolean> f : results) {
        resolved += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(resolved).isEqualTo(1);
      assertThat(tracker.get(id).timeline()).extracting(TimelineEntry::action)
          .containsExactly("opened", "resolved");
    } finally {
      pool.shutdownNow();
      replicas.forEach(SearchEngineIncidentStore::close);
    }
  }

  @Test
  void replicasSeeingOneFaultAtOnceOpenOneIncidentBetweenThem() throws Exception {
    List<SearchEngineIncidentStore> replicas = List.of(replica(), replica(), replica());
    ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
    try {
      // Several rounds, each a new service: every replica files its own anomaly of that service
      // at the same moment. Without claims each would find nothing open and open its own.
      for (int round = 0; round < 4; round++) {
        String service = "payments-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> ids = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
          IncidentTracker t = trackerOn(replicas.get(r));
          var e = AnomalyEvidence.read(log("new_template", service, "t" + r, "declined <*>",
              T0.plusSeconds(r), "trace-" + round + "-" + r), null, T0);
          ids.add(pool.submit(() -> {
            go.await();
            return t.record(e).incidentId();
          }));
        }
        go.countDown();
        List<String> got = new ArrayList<>();
        for (Future<String> f : ids) {
          got.add(f.get(60, TimeUnit.SECONDS));
        }
        assertThat(got).as("round %d", round).containsOnly(got.get(0));
        assertThat(tracker.get(got.get(0)).evidence()).hasSize(replicas.size());
      }
    } finally {
      pool.shutdownNow();
      replicas.forEach(SearchEngineIncidentStore::close);
    }
  }

  @Test
  void aClaimLeftByAReplicaThatDiedIsTakenOverOnceExpired() {
    try (SearchEngineIncidentStore dead = replica(); SearchEngineIncidentStore alive = replica()) {
      assertThat(dead.claimOpening(List.of("service:orders"), Duration.ofSeconds(30))).isTrue();
      assertThat(alive.claimOpening(List.of("service:orders", "trace:t1"),
          Duration.ofSeconds(30))).as("held").isFalse();
      assertThat(alive.claimOpening(List.of("trace:t1"), Duration.ofSeconds(30)))
          .as("the failed attempt released what it had taken").isTrue();
      assertThat(alive.claimOpening(List.of("service:orders"), Duration.ZERO))
          .as("expired: taken over").isTrue();
    }
  }

  @Test
  void replicasAddingEvidenceToOneIncidentAtOnceLoseNone() throws Exception {
    String id = record(log("new_template", "orders", "o0", "x", T0, "trace-1")).incidentId();
    int replicas = 2;
    int each = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    List<SearchEngineIncidentStore> stores = new ArrayList<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        SearchEngineIncidentStore s = replica();
        stores.add(s);
        IncidentTracker t = trackerOn(s);
        int replica = r;
        done.add(pool.submit(() -> {
          go.await();
          for (int k = 0; k < each; k++) {
            // The same trace: each record joins the one incident, from either replica.
            var result = t.record(AnomalyEvidence.read(log("template_surge", "payments",
                "p" + replica + "-" + k, "retry <*>", T0.plusSeconds(k + 1), "trace-1"), null,
                T0));
            assertThat(result.incidentId()).isEqualTo(id);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      stores.forEach(SearchEngineIncidentStore::close);
    }
    Incident i = tracker.get(id);
    assertThat(i.evidence()).hasSize(1 + replicas * each);
    assertThat(i.services()).containsExactly("orders", "payments");
  }

  @Test
  void replicasOpeningIncidentsAtOnceNeverShareAnId() throws Exception {
    int replicas = 2;
    int each = 6;
    Set<String> ids = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    List<SearchEngineIncidentStore> stores = new ArrayList<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        SearchEngineIncidentStore s = replica();
        stores.add(s);
        IncidentTracker t = trackerOn(s);
        int replica = r;
        done.add(pool.submit(() -> {
          go.await();
          for (int k = 0; k < each; k++) {
            ids.add(t.record(AnomalyEvidence.read(log("new_template", "svc-" + replica + "-" + k,
                "t", "x", T0), null, T0)).incidentId());
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      stores.forEach(SearchEngineIncidentStore::close);
    }
    assertThat(ids).hasSize(replicas * each);
    assertThat(tracker.list(IncidentQuery.all(100))).hasSize(replicas * each);
  }
}
