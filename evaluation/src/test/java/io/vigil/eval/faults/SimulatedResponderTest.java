package io.vigil.eval.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.exporter.incidents.OpeningConfig;
import io.vigil.exporter.incidents.internal.AnomalyJournal;
import io.vigil.exporter.incidents.internal.H2IncidentStore;
import io.vigil.exporter.incidents.internal.IncidentApiServer;
import io.vigil.exporter.incidents.internal.IncidentJson;
import io.vigil.exporter.incidents.internal.IncidentTracker;
import io.vigil.exporter.incidents.internal.LinkTemplates;
import io.vigil.exporter.incidents.internal.NoCauseClassifier;
import io.vigil.exporter.incidents.internal.NoRecommender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The simulated responder against the real incidents API, on the incidents of recorded run 7:
 * its resolutions agree with the fault scorer's verdicts on the same incidents, and the saved
 * list is what vigil-train's feedback reader takes.
 */
class SimulatedResponderTest {

  private static final Path RUN = Path.of("src/test/resources/faults",
      "run7-faults-40min-control-plane-filtered");

  @Test
  void resolvesEachIncidentAsTheFaultScorerJudgesIt(@TempDir Path dir) throws Exception {
    AnomalyReplay.Replayed replayed = AnomalyReplay.replay(
        AnomalyJournal.read(RUN.resolve("anomalies.jsonl")), Duration.ofMinutes(1),
        new OpeningConfig(), dir.resolve("store"));
    FaultIncidentScorer.Score expected = new FaultIncidentScorer(
        FaultIncidentScorer.DEFAULT_LEAD, FaultIncidentScorer.DEFAULT_TAIL)
        .score(FaultLabel.read(RUN.resolve("faults.jsonl")), replayed.incidents(), -1);

    try (H2IncidentStore store = H2IncidentStore.open(dir.resolve("store"))) {
      IncidentTracker tracker = new IncidentTracker(store, Duration.ofMinutes(1),
          Duration.ofHours(24), new NoCauseClassifier(), new NoRecommender(), Clock.systemUTC());
      IncidentApiServer api = new IncidentApiServer(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "", tracker, null,
          new IncidentJson(new LinkTemplates(Map.of(), 0)), Clock.systemUTC(),
          LoggerFactory.getLogger(SimulatedResponderTest.class));
      api.start();
      try {
        Path saved = dir.resolve("resolved.json");
        SimulatedResponder responder = new SimulatedResponder();
        responder.faults = RUN.resolve("faults.jsonl");
        responder.api = URI.create("http://127.0.0.1:" + api.port());
        responder.save = saved;
        assertThat(responder.call()).isZero();

        JsonNode list = new ObjectMapper().readTree(saved.toFile());
        assertThat(list.path("incidents")).hasSize(replayed.incidents().size());
        long falseAlarms = 0;
        long onFaultedService = 0;
        long elsewhere = 0;
        for (JsonNode i : list.path("incidents")) {
          assertThat(i.path("state").asText()).isEqualTo("resolved");
          String category = i.at("/resolution/category").asText();
          falseAlarms += category.equals(SimulatedResponder.FALSE_ALARM) ? 1 : 0;
          elsewhere += category.equals(SimulatedResponder.ELSEWHERE) ? 1 : 0;
          onFaultedService += category.equals(SimulatedResponder.FALSE_ALARM)
              || category.equals(SimulatedResponder.ELSEWHERE) ? 0 : 1;
        }
        assertThat(falseAlarms).isEqualTo(expected.noise().size()).isPositive();
        assertThat(elsewhere).isEqualTo(expected.elsewhere());
        assertThat(onFaultedService).isEqualTo(
            expected.faults().stream().mapToLong(f -> f.onService().size()).sum());

        // A second pass finds nothing left to resolve.
        assertThat(responder.call()).isZero();
        assertThat(new ObjectMapper().readTree(saved.toFile()).path("incidents"))
            .hasSize(replayed.incidents().size());
      } finally {
        api.stop();
      }
    }
  }
}
