package io.vigil.exporter.incidents.chat;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.Recommendation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A desk with no incidents that records every call that would change something (and refuses
 * it, as for an unknown incident): for chat tests that need no store.
 */
public class EmptyDesk implements IncidentDesk {

  /** "ack inc-1", "resolve inc-1", "approve inc-1 2", in call order. */
  public final List<String> changes = new CopyOnWriteArrayList<>();

  @Override
  public List<Incident> list(IncidentQuery query) {
    return List.of();
  }

  @Override
  public Incident get(String id) {
    throw new IllegalArgumentException("no incident " + id);
  }

  @Override
  public Incident acknowledge(String id, String actor, String note) {
    changes.add("ack " + id);
    throw new IllegalArgumentException("no incident " + id);
  }

  @Override
  public Incident resolve(String id, String actor, String category, String note) {
    changes.add("resolve " + id);
    throw new IllegalArgumentException("no incident " + id);
  }

  @Override
  public List<Recommendation> similar(String id, int k) {
    return List.of();
  }

  @Override
  public void approve(String id, int n, String actor) {
    changes.add("approve " + id + " " + n);
    throw new IllegalArgumentException("no incident " + id);
  }

  @Override
  public String run(String action, String id, String service, boolean dryRun, String actor) {
    changes.add("run " + action + " " + id + " " + service + (dryRun ? " dry" : ""));
    throw new IllegalArgumentException("no incident " + id);
  }
}
