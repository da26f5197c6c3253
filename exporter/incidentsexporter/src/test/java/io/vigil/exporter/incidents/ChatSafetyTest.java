package io.vigil.exporter.incidents;

import static io.vigil.exporter.incidents.AnomalyRecords.T0;
import static io.vigil.exporter.incidents.AnomalyRecords.batch;
import static io.vigil.exporter.incidents.AnomalyRecords.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.Signal;
import io.vigil.exporter.incidents.chat.ChatResponder;
import io.vigil.exporter.incidents.chat.IncidentDesk;
import io.vigil.exporter.incidents.chat.IntentModel;
import io.vigil.exporter.incidents.internal.IncidentsExporter;
import io.vigil.exporter.incidents.internal.TrackerDesk;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every utterance of the hand-written set (training and held-out: commands, paraphrases,
 * typos, ambiguous ones) sent to the chat against real incidents on every service the set
 * names: no free-text message acknowledges, resolves or approves anything, whatever the model
 * read it as; only exact commands do.
 */
class ChatSafetyTest {

  private static final List<String> SERVICES = List.of("orders", "payments", "checkout",
      "inventory", "frontend", "cart", "shipping", "ledger", "search", "auth", "storefront");
  @TempDir Path dir;
  private IncidentsExporter exporter;

  /** Counts the calls that change something, then passes them on. */
  private static final class RecordingDesk implements IncidentDesk {
    final IncidentDesk real;
    final List<String> changes = new ArrayList<>();

    RecordingDesk(IncidentDesk real) {
      this.real = real;
    }

    @Override
    public List<Incident> list(IncidentQuery q) {
      return real.list(q);
    }

    @Override
    public Incident get(String id) {
      return real.get(id);
    }

    @Override
    public Incident acknowledge(String id, String actor, String note) {
      changes.add("ack " + id);
      return real.acknowledge(id, actor, note);
    }

    @Override
    public Incident resolve(String id, String actor, String category, String note) {
      changes.add("resolve " + id);
      return real.resolve(id, actor, category, note);
    }

    @Override
    public List<Recommendation> similar(String id, int k) {
      return real.similar(id, k);
    }

    @Override
    public void approve(String id, int n, String actor) {
      changes.add("approve " + id + " " + n);
      real.approve(id, n, actor);
    }

    @Override
    public String run(String action, String id, String service, boolean dryRun, String actor) {
      changes.add("run " + action + " " + id + " " + service + (dryRun ? " --dry-run" : ""));
      return real.run(action, id, service, dryRun, actor);
    }
  }

  @AfterEach
  void stop() {
    exporter.shutdown(Instant.now().plusSeconds(2));
  }

  @Test
  void noFreeTextMessageChangesAnything() throws Exception {
    IncidentsExporterConfig config = new IncidentsExporterConfig();
    config.directory = dir.toString();
    config.api.endpoint = "";
    exporter = PluginlessExporters.of(config, new MutableClock(T0));
    exporter.start();
    for (String s : SERVICES) {
      exporter.consumer(Signal.LOGS).consume(batch(log("error_surge", s, "t-" + s,
          s + " failed <*>", T0))).get(5, TimeUnit.SECONDS);
    }
    List<IntentModel.Example> all = new ArrayList<>();
    try (InputStream in = IntentModel.class.getResourceAsStream(IntentModel.BUNDLED)) {
      all.addAll(IntentModel.read(in));
    }
    for (String part : List.of("/chat/heldout-intents.jsonl", "/chat/fresh-intents.jsonl",
        "/chat/third-intents.jsonl", "/chat/fourth-intents.jsonl")) {
      try (InputStream in = getClass().getResourceAsStream(part)) {
        all.addAll(IntentModel.read(in));
      }
    }
    try (IntentModel model = IntentModel.bundled()) {
      RecordingDesk desk = new RecordingDesk(new TrackerDesk(exporter.tracker(), null));
      ChatResponder chat = new ChatResponder(desk, model, new MutableClock(T0));
      int freeText = 0;
      int exactChanges = 0;
      for (IntentModel.Example e : all) {
        boolean exact = ChatResponder.read(e.text(), model, SERVICES).exact();
        desk.changes.clear();
        ChatResponder.Reply reply = chat.answer(e.text(), "tester");
        assertThat(reply.text()).as(e.text()).isNotBlank();
        if (exact) {
          exactChanges += desk.changes.size();
        } else {
          freeText++;
          assertThat(desk.changes).as("free text \"%s\" changed something", e.text()).isEmpty();
        }
      }
      assertThat(freeText).as("most of the set is free text").isGreaterThan(all.size() / 2);
      assertThat(exactChanges).as("exact commands did reach the desk").isPositive();
    }
  }
}
