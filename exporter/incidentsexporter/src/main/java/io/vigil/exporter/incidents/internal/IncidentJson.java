package io.vigil.exporter.incidents.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.TimelineEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's JSON shape of incidents: a summary for lists, everything for one incident. */
public final class IncidentJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int SAMPLES_PER_TEMPLATE = 3;

  private final LinkTemplates links;

  public IncidentJson(LinkTemplates links) {
    this.links = links;
  }

  public ObjectNode summary(Incident i) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", i.id());
    n.put("state", i.state().label());
    n.put("severity", i.severity().label());
    n.put("title", i.title());
    n.put("origin", i.origin());
    // Said in the data too: trace analysis, or only the earliest anomaly's service.
    n.put("origin_rule", i.originRule());
    ArrayNode services = n.putArray("services");
    i.services().forEach(services::add);
    n.put("opened_at", i.opened().toString());
    // When the trouble began (evidence time), which the gateway's opening may trail.
    n.put("started_at", i.started().toString());
    n.put("updated_at", i.updated().toString());
    n.put("last_evidence_at", i.lastEvidence().toString());
    n.put("evidence_count", i.evidence().size());
    n.putObject("classification").put("label", i.classification().label())
        .put("confidence", i.classification().confidence());
    if (i.resolution() != null) {
      n.putObject("resolution").put("category", i.resolution().category())
          .put("note", i.resolution().note()).put("at", i.resolution().at().toString());
    }
    return n;
  }

  public ObjectNode full(Incident i) {
    ObjectNode n = summary(i);
    ObjectNode ev = n.putObject("evidence");
    ArrayNode records = ev.putArray("records");
    Map<String, ObjectNode> series = new LinkedHashMap<>();
    Map<String, ObjectNode> templates = new LinkedHashMap<>();
    for (Evidence e : i.evidence()) {
      ObjectNode r = records.addObject();
      r.put("kind", e.kind());
      r.put("source", e.source());
      r.put("service", e.service());
      details(r, e);
      if (e.traceOrigin() != null) {
        r.put("trace_origin", e.traceOrigin());
      }
      if (e.held()) {
        r.put("held", true);
      }
      if (e.series() != null) {
        ObjectNode s = series.computeIfAbsent(e.service() + "|" + e.series(), k ->
            MAPPER.createObjectNode().put("service", e.service()).put("series", e.series())
                .put("count", 0));
        s.put("count", s.get("count").asInt() + 1);
        if (e.score() != null && (!s.has("max_score") || s.get("max_score").asDouble()
            < e.score())) {
          s.put("max_score", e.score());
        }
        s.withArray("scores").add(e.score() == null ? 0 : e.score());
      }
      if (e.templateId() != null) {
        ObjectNode s = templates.computeIfAbsent(e.service() + "|" + e.templateId(), k -> {
          ObjectNode o = MAPPER.createObjectNode().put("service", e.service())
              .put("template_id", e.templateId());
          o.put("template", e.template());
          o.putArray("kinds");
          o.putArray("samples");
          return o;
        });
        addDistinct(s.withArray("kinds"), e.kind(), Integer.MAX_VALUE);
        addDistinct(s.withArray("samples"), e.body(), SAMPLES_PER_TEMPLATE);
      }
    }
    ev.putArray("series").addAll(List.copyOf(series.values()));
    ev.putArray("templates").addAll(List.copyOf(templates.values()));
    ArrayNode traces = ev.putArray("trace_ids");
    i.traceIds().forEach(traces::add);
    ArrayNode l = n.putArray("links");
    for (LinkTemplates.Link link : links.render(i)) {
      ObjectNode o = l.addObject().put("name", link.name()).put("url", link.url());
      if (link.traceId() != null) {
        o.put("trace_id", link.traceId());
      }
    }
    ArrayNode timeline = n.putArray("timeline");
    for (TimelineEntry t : i.timeline()) {
      ObjectNode o = timeline.addObject().put("at", t.at().toString()).put("actor", t.actor())
          .put("action", t.action()).put("state", t.state().label());
      if (t.note() != null) {
        o.put("note", t.note());
      }
    }
    return n;
  }

  /** {@code GET /api/signals}: what the opening policy holds and what it did not open. */
  public ObjectNode signals(List<HeldSignals.Held> held, IncidentTracker.SignalsNotOpened past) {
    ObjectNode n = MAPPER.createObjectNode();
    ArrayNode h = n.putArray("held");
    for (HeldSignals.Held x : held) {
      signal(h.addObject(), x.signal(), x.reason()).put("held_at", x.heldAt().toString());
    }
    n.put("held_count", held.size());
    ArrayNode gone = n.putArray("not_opened");
    for (HeldSignals.NotOpened x : past.latest()) {
      signal(gone.addObject(), x.signal(), x.reason()).put("held_at", x.heldAt().toString())
          .put("expired_at", x.expiredAt().toString());
    }
    n.put("not_opened_count", past.total());
    return n;
  }

  private static ObjectNode signal(ObjectNode r, AnomalySignal s, String reason) {
    Evidence e = s.evidence();
    r.put("kind", e.kind());
    r.put("service", e.service());
    r.put("reason", reason);
    if (s.severityNumber() != null) {
      r.put("severity_number", s.severityNumber());
    }
    details(r, e);
    if (e.template() != null) {
      r.put("template", e.template());
    }
    return r;
  }

  /** What an evidence record and a held signal both show of the anomaly behind them. */
  private static void details(ObjectNode r, Evidence e) {
    if (e.score() != null) {
      r.put("score", e.score());
    }
    if (e.series() != null) {
      r.put("series", e.series());
    }
    if (e.templateId() != null) {
      r.put("template_id", e.templateId());
    }
    r.put("body", e.body());
    r.put("window_start", e.windowStart().toString());
    r.put("window_end", e.windowEnd().toString());
    ArrayNode t = r.putArray("trace_ids");
    e.traceIds().forEach(t::add);
  }

  public ObjectNode recommendations(String id, List<Recommendation> similar) {
    ObjectNode n = MAPPER.createObjectNode().put("id", id);
    ArrayNode a = n.putArray("similar");
    for (Recommendation r : similar) {
      ObjectNode o = a.addObject().put("id", r.incidentId()).put("similarity", r.similarity())
          .put("title", r.title());
      if (r.resolution() != null) {
        // A knowledge-base entry (a post-mortem) has no resolution time: "at" is null then.
        o.putObject("resolution").put("category", r.resolution().category())
            .put("note", r.resolution().note())
            .put("at", r.resolution().at() == null ? null : r.resolution().at().toString());
      }
    }
    return n;
  }

  private static void addDistinct(ArrayNode array, String value, int max) {
    if (value == null || array.size() >= max) {
      return;
    }
    for (var v : array) {
      if (v.asText().equals(value)) {
        return;
      }
    }
    array.add(value);
  }
}
