package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.chat.IncidentDesk;
import io.vigil.exporter.incidents.response.ResponseEngine;
import java.util.List;

/** The chat's view of the tracker and the response engine. */
public final class TrackerDesk implements IncidentDesk {

  private final IncidentTracker tracker;
  private final ResponseEngine response;

  /** @param response null when no response rules are configured */
  public TrackerDesk(IncidentTracker tracker, ResponseEngine response) {
    this.tracker = tracker;
    this.response = response;
  }

  @Override
  public List<Incident> list(IncidentQuery query) {
    return tracker.list(query);
  }

  @Override
  public Incident get(String id) {
    return tracker.get(id);
  }

  @Override
  public Incident acknowledge(String id, String actor, String note) {
    return tracker.acknowledge(id, actor, note);
  }

  @Override
  public Incident resolve(String id, String actor, String category, String note) {
    return tracker.resolve(id, actor, category, note);
  }

  @Override
  public List<Recommendation> similar(String id, int k) {
    return tracker.similar(id, k);
  }

  @Override
  public void approve(String id, int n, String actor) {
    if (response == null) {
      tracker.get(id);
      throw new IllegalStateException("no response rules are configured, so nothing awaits"
          + " approval");
    }
    response.approve(id, n, actor);
  }

  @Override
  public String run(String action, String id, String service, boolean dryRun, String actor) {
    if (response == null) {
      throw new IllegalStateException("no response rules are configured, so there is nothing to"
          + " run");
    }
    return response.run(action, id, service, dryRun, actor);
  }
}
