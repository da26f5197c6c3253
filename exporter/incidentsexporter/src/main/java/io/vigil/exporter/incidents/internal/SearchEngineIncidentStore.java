package io.vigil.exporter.incidents.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.config.tls.ClientTls;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.exporter.incidents.Classification;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Origin;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.Resolution;
import io.vigil.exporter.incidents.Severity;
import io.vigil.exporter.incidents.TimelineEntry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Incidents in an OpenSearch or Elasticsearch index, over its REST API, so that several gateway
 * replicas share one store. One document per incident holds its state, evidence and timeline
 * (what the API returns in one read), plus keyword copies of what grouping looks up: services,
 * trace IDs, signatures and evidence keys.
 *
 * <p>Writes are read-modify-write with optimistic concurrency: the document is read with its
 * {@code _seq_no} and {@code _primary_term} and written back with {@code if_seq_no} /
 * {@code if_primary_term}; when another replica wrote in between (409), the change is applied
 * again to the new version. State changes are checked against that version ({@link
 * Transitions}), so two replicas resolving one incident give one resolution and one refusal.
 * Writes ask for {@code refresh=true}: anomalies arrive a few a minute, and the next record's
 * grouping (a search) must see the last one.
 *
 * <p>Not solved here: two replicas opening an incident for the same fault in the same instant
 * each open one (grouping is a search followed by a write, not a transaction).
 */
public final class SearchEngineIncidentStore implements IncidentStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ACTIVE = List.of("open", "acknowledged", "reopened");
  /** Attempts of one write against concurrent writers before giving up (as a store failure). */
  static final int MAX_ATTEMPTS = 50;

  private final HttpClient http;
  private final List<URI> endpoints;
  private final String index;
  private final String sequenceIndex;
  private final Duration timeout;
  private final String authorization;
  private final ClientTls tls;
  private int preferred;

  private SearchEngineIncidentStore(List<URI> endpoints, String index, Duration timeout,
      String username, String password, ClientTls tls) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
    this.tls = tls;
    if (tls != null) {
      // Reloading key and trust managers: a rotated CA or client certificate needs no restart.
      tls.start();
      JdkHttpClients.use(b, tls);
    }
    this.http = b.build();
    this.endpoints = List.copyOf(endpoints);
    this.index = index;
    this.sequenceIndex = index + "-sequence";
    this.timeout = timeout;
    this.authorization = username == null || username.isEmpty() ? null
        : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Connects and creates the index (and its ID sequence) if missing. */
  public static SearchEngineIncidentStore open(List<URI> endpoints, String index,
      Duration timeout, String username, String password) {
    return open(endpoints, index, timeout, username, password, null);
  }

  /**
   * Like the other {@code open}, over {@code tls} (null: the JVM's defaults), which the store
   * closes.
   */
  public static SearchEngineIncidentStore open(List<URI> endpoints, String index,
      Duration timeout, String username, String password, ClientTls tls) {
    SearchEngineIncidentStore s =
        new SearchEngineIncidentStore(endpoints, index, timeout, username, password, tls);
    try {
      s.createIndex(s.index, mapping());
      s.createIndex(s.sequenceIndex, JSON.createObjectNode().set("mappings",
          JSON.createObjectNode().put("dynamic", false)));
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private static ObjectNode mapping() {
    ObjectNode props = JSON.createObjectNode();
    for (String k : List.of("id", "state", "services", "trace_ids", "signatures",
        "evidence_keys")) {
      props.putObject(k).put("type", "keyword");
    }
    for (String t : List.of("opened", "updated", "last_evidence", "resolved_at")) {
      props.putObject(t).put("type", "long"); // epoch nanoseconds, as the H2 store keeps them
    }
    props.putObject("title").put("type", "text");
    ObjectNode m = JSON.createObjectNode();
    // Evidence and timeline stay in _source only: nothing searches them field by field.
    m.putObject("mappings").put("dynamic", false).set("properties", props);
    return m;
  }

  private void createIndex(String name, ObjectNode body) {
    Answer a = send("PUT", "/" + name, body);
    if (a.status() == 400 && a.body().contains("resource_already_exists_exception")) {
      return; // another replica (or an earlier start) created it
    }
    a.expect(200, "create index " + name);
  }

  @Override
  public boolean hasEvidence(String key) {
    return count(terms("evidence_keys", List.of(key))) > 0;
  }

  @Override
  public Optional<Incident> activeSharingTrace(Collection<String> traceIds) {
    if (traceIds.isEmpty()) {
      return Optional.empty();
    }
    return first(bool(terms("state", ACTIVE), terms("trace_ids", traceIds)), "updated");
  }

  @Override
  public Optional<Incident> activeWithService(String service, Instant lastEvidenceFrom) {
    return first(bool(terms("state", ACTIVE), terms("services", List.of(service)),
        range("last_evidence", lastEvidenceFrom)), "last_evidence");
  }

  @Override
  public Optional<Incident> resolvedWithSignature(String signature, Instant resolvedFrom) {
    return first(bool(terms("state", List.of("resolved")), terms("signatures",
        List.of(signature)), range("resolved_at", resolvedFrom)), "resolved_at");
  }

  @Override
  public String open(Severity severity, String title, Evidence first,
      Classification classification, TimelineEntry opened) {
    String id = "inc-" + nextNumber();
    ObjectNode d = JSON.createObjectNode();
    d.put("id", id).put("state", opened.state().label()).put("severity", severity.label())
        .put("title", title).put("opened", nanos(opened.at()))
        .put("updated", nanos(opened.at())).put("last_evidence", nanos(first.windowEnd()));
    d.putObject("classification").put("label", classification.label())
        .put("confidence", classification.confidence());
    d.putArray("evidence").add(evidenceJson(first));
    d.putArray("timeline").add(timelineJson(opened));
    reindexLookups(d);
    send("PUT", "/" + index + "/_create/" + enc(id) + "?refresh=true", d)
        .expect(201, "open incident " + id);
    return id;
  }

  @Override
  public void addEvidence(String id, Evidence evidence, Severity severity, Instant lastEvidence,
      Instant updated) {
    update(id, d -> {
      ArrayNode all = (ArrayNode) d.get("evidence");
      for (JsonNode e : all) {
        if (e.path("key").asText().equals(evidence.key())) {
          return; // another replica stored this very anomaly meanwhile
        }
      }
      all.add(evidenceJson(evidence));
      List<Evidence> parsed = new ArrayList<>();
      all.forEach(e -> parsed.add(evidence(e)));
      // Recomputed on the version written over, which may hold another replica's evidence.
      d.put("severity", SeverityRule.of(parsed).label());
      d.put("last_evidence", Math.max(d.path("last_evidence").asLong(), nanos(lastEvidence)));
      d.put("updated", nanos(updated));
      reindexLookups(d);
    });
  }

  @Override
  public void setTraceOrigin(String id, String evidenceKey, String origin, Instant updated) {
    update(id, d -> {
      for (JsonNode e : d.path("evidence")) {
        if (e.path("key").asText().equals(evidenceKey)) {
          ((ObjectNode) e).put("trace_origin", origin);
          d.put("updated", nanos(updated));
        }
      }
    });
  }

  @Override
  public void transition(String id, IncidentState state, Resolution resolution,
      TimelineEntry entry) {
    update(id, d -> {
      Transitions.check(id, IncidentState.of(d.path("state").asText()), state);
      d.put("state", state.label()).put("updated", nanos(entry.at()));
      if (resolution != null) {
        d.put("resolved_at", nanos(resolution.at()));
        d.putObject("resolution").put("category", resolution.category())
            .put("note", resolution.note()).put("at", nanos(resolution.at()));
      }
      ((ArrayNode) d.get("timeline")).add(timelineJson(entry));
    });
  }

  @Override
  public void classify(String id, Classification classification, TimelineEntry entry) {
    update(id, d -> {
      d.putObject("classification").put("label", classification.label())
          .put("confidence", classification.confidence());
      d.put("updated", nanos(entry.at()));
      ((ArrayNode) d.get("timeline")).add(timelineJson(entry));
    });
  }

  @Override
  public void record(String id, TimelineEntry entry) {
    update(id, d -> ((ArrayNode) d.get("timeline")).add(timelineJson(entry)));
  }

  @Override
  public Optional<Incident> find(String id) {
    Answer a = send("GET", "/" + index + "/_doc/" + enc(id), null);
    if (a.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(incident(a.expect(200, "read incident " + id).path("_source")));
  }

  @Override
  public List<Incident> list(IncidentQuery q) {
    List<ObjectNode> filters = new ArrayList<>();
    if (q.state() != null) {
      filters.add(terms("state", List.of(q.state().label())));
    }
    if (q.since() != null) {
      filters.add(range("updated", q.since()));
    }
    if (q.service() != null) {
      filters.add(terms("services", List.of(q.service())));
    }
    return search(bool(filters.toArray(ObjectNode[]::new)), "updated", q.limit());
  }

  @Override
  public void close() {
    // The JDK client holds no resource that outlives its last request; the TLS files' reload
    // checks do.
    if (tls != null) {
      tls.close();
    }
  }

  // --- writes ---

  /**
   * Applies {@code change} to the stored document and writes it back if no one else wrote in
   * between; otherwise reads the new version and applies it again. A change that throws (a
   * refused transition) writes nothing.
   */
  private void update(String id, Consumer<ObjectNode> change) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Answer read = send("GET", "/" + index + "/_doc/" + enc(id), null);
      if (read.status() == 404) {
        throw new UnknownIncidentException(id);
      }
      JsonNode got = read.expect(200, "read incident " + id);
      ObjectNode doc = (ObjectNode) got.path("_source");
      change.accept(doc);
      Answer write = send("PUT", "/" + index + "/_doc/" + enc(id) + "?refresh=true&if_seq_no="
          + got.path("_seq_no").asLong() + "&if_primary_term=" + got.path("_primary_term")
          .asLong(), doc);
      if (write.status() != 409) {
        write.expect(200, "update incident " + id);
        return;
      }
    }
    throw new StoreException("incident " + id + " changed under " + MAX_ATTEMPTS
        + " attempts to update it in a row; too many writers on one incident", null);
  }

  @Override
  public boolean claimOpening(List<String> keys, java.time.Duration expiry) {
    List<String> taken = new ArrayList<>();
    for (String key : keys) {
      if (!claim(key, expiry)) {
        releaseOpening(taken);
        return false;
      }
      taken.add(key);
    }
    return true;
  }

  /** One claim document, created only if absent (or taken over when expired). */
  private boolean claim(String key, java.time.Duration expiry) {
    String id = claimId(key);
    long now = System.currentTimeMillis();
    Answer created = send("PUT", "/" + sequenceIndex + "/_create/" + id + "?refresh=true",
        JSON.createObjectNode().put("at_ms", now));
    if (created.status() != 409) {
      created.expect(201, "claim opening " + key);
      return true;
    }
    Answer held = send("GET", "/" + sequenceIndex + "/_doc/" + id, null);
    if (held.status() == 404) {
      return claim(key, expiry); // released meanwhile; bounded: the holder only releases
    }
    JsonNode got = held.expect(200, "read claim " + key);
    if (now - got.path("_source").path("at_ms").asLong() < expiry.toMillis()) {
      return false;
    }
    // Taken over under OCC: of two replicas taking over one claim, one wins.
    Answer over = send("PUT", "/" + sequenceIndex + "/_doc/" + id + "?refresh=true&if_seq_no="
        + got.path("_seq_no").asLong() + "&if_primary_term=" + got.path("_primary_term")
        .asLong(), JSON.createObjectNode().put("at_ms", now));
    return over.status() == 200;
  }

  @Override
  public void releaseOpening(List<String> keys) {
    for (String key : keys) {
      Answer a = send("DELETE", "/" + sequenceIndex + "/_doc/" + claimId(key) + "?refresh=true",
          null);
      if (a.status() != 404) {
        a.expect(200, "release claim " + key);
      }
    }
  }

  private static String claimId(String key) {
    return "claim-" + java.util.HexFormat.of().formatHex(sha256(key));
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next incident number, shared by every replica: a counter document under OCC. */
  private long nextNumber() {
    String path = "/" + sequenceIndex + "/_doc/incident";
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Answer read = send("GET", path, null);
      long next;
      Answer write;
      if (read.status() == 404) {
        next = 1;
        write = send("PUT", "/" + sequenceIndex + "/_create/incident?refresh=true",
            JSON.createObjectNode().put("next", next + 1));
      } else {
        JsonNode got = read.expect(200, "read the incident sequence");
        next = got.path("_source").path("next").asLong();
        write = send("PUT", path + "?refresh=true&if_seq_no=" + got.path("_seq_no").asLong()
            + "&if_primary_term=" + got.path("_primary_term").asLong(),
            JSON.createObjectNode().put("next", next + 1));
      }
      if (write.status() != 409) {
        write.expect(read.status() == 404 ? 201 : 200, "advance the incident sequence");
        return next;
      }
    }
    throw new StoreException("the incident sequence changed under " + MAX_ATTEMPTS
        + " attempts to advance it", null);
  }

  /** The keyword fields grouping searches, derived from evidence (never written by hand). */
  private static void reindexLookups(ObjectNode d) {
    Set<String> services = new LinkedHashSet<>();
    Set<String> traces = new LinkedHashSet<>();
    Set<String> signatures = new LinkedHashSet<>();
    List<String> keys = new ArrayList<>();
    for (JsonNode e : d.path("evidence")) {
      services.add(e.path("service").asText());
      e.path("trace_ids").forEach(t -> traces.add(t.asText()));
      signatures.add(e.path("signature").asText());
      keys.add(e.path("key").asText());
    }
    putStrings(d, "services", services);
    putStrings(d, "trace_ids", traces);
    putStrings(d, "signatures", signatures);
    putStrings(d, "evidence_keys", keys);
  }

  private static void putStrings(ObjectNode d, String field, Collection<String> values) {
    ArrayNode a = d.putArray(field);
    values.forEach(a::add);
  }

  // --- reads ---

  private Optional<Incident> first(ObjectNode query, String sortField) {
    List<Incident> found = search(query, sortField, 1);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private List<Incident> search(ObjectNode query, String sortField, int size) {
    ObjectNode body = JSON.createObjectNode();
    body.set("query", query);
    body.put("size", size);
    body.put("seq_no_primary_term", false);
    ArrayNode sort = body.putArray("sort");
    sort.addObject().putObject(sortField).put("order", "desc");
    sort.addObject().putObject("id").put("order", "asc");
    JsonNode r = send("POST", "/" + index + "/_search", body).expect(200, "search incidents");
    List<Incident> out = new ArrayList<>();
    r.path("hits").path("hits").forEach(h -> out.add(incident(h.path("_source"))));
    return out;
  }

  private long count(ObjectNode query) {
    ObjectNode body = JSON.createObjectNode();
    body.set("query", query);
    return send("POST", "/" + index + "/_count", body).expect(200, "count incidents")
        .path("count").asLong();
  }

  private static ObjectNode bool(ObjectNode... filters) {
    ObjectNode q = JSON.createObjectNode();
    ArrayNode f = q.putObject("bool").putArray("filter");
    for (ObjectNode x : filters) {
      f.add(x);
    }
    return q;
  }

  private static ObjectNode terms(String field, Collection<String> values) {
    ObjectNode q = JSON.createObjectNode();
    ArrayNode a = q.putObject("terms").putArray(field);
    values.forEach(a::add);
    return q;
  }

  private static ObjectNode range(String field, Instant from) {
    ObjectNode q = JSON.createObjectNode();
    q.putObject("range").putObject(field).put("gte", nanos(from));
    return q;
  }

  // --- JSON <-> records ---

  private static ObjectNode evidenceJson(Evidence e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("key", e.key()).put("signature", e.signature()).put("kind", e.kind())
        .put("source", e.source()).put("service", e.service()).put("series", e.series())
        .put("template_id", e.templateId()).put("template", e.template())
        .put("body", e.body()).put("score", e.score())
        .put("window_start", nanos(e.windowStart())).put("window_end", nanos(e.windowEnd()))
        .put("received", nanos(e.received())).put("trace_origin", e.traceOrigin())
        .put("held", e.held());
    putStrings(n, "trace_ids", e.traceIds());
    return n;
  }

  private static Evidence evidence(JsonNode n) {
    List<String> traces = new ArrayList<>();
    n.path("trace_ids").forEach(t -> traces.add(t.asText()));
    return new Evidence(n.path("key").asText(), n.path("signature").asText(),
        n.path("kind").asText(), n.path("source").asText(), n.path("service").asText(),
        text(n, "series"), text(n, "template_id"), text(n, "template"), text(n, "body"),
        n.path("score").isNumber() ? n.path("score").asDouble() : null,
        instant(n.path("window_start").asLong()), instant(n.path("window_end").asLong()),
        traces, instant(n.path("received").asLong()), text(n, "trace_origin"),
        n.path("held").asBoolean(false));
  }

  private static ObjectNode timelineJson(TimelineEntry t) {
    return JSON.createObjectNode().put("at", nanos(t.at())).put("actor", t.actor())
        .put("action", t.action()).put("state", t.state().label()).put("note", t.note());
  }

  private static Incident incident(JsonNode d) {
    List<Evidence> evidence = new ArrayList<>();
    d.path("evidence").forEach(e -> evidence.add(evidence(e)));
    List<TimelineEntry> timeline = new ArrayList<>();
    d.path("timeline").forEach(t -> timeline.add(new TimelineEntry(
        instant(t.path("at").asLong()), t.path("actor").asText(), t.path("action").asText(),
        IncidentState.of(t.path("state").asText()), text(t, "note"))));
    JsonNode r = d.path("resolution");
    Resolution resolution = r.isObject() ? new Resolution(text(r, "category"), text(r, "note"),
        instant(r.path("at").asLong())) : null;
    JsonNode c = d.path("classification");
    return new Incident(d.path("id").asText(), IncidentState.of(d.path("state").asText()),
        Severity.of(d.path("severity").asText()), d.path("title").asText(),
        Origin.of(evidence), Origin.rule(evidence), instant(d.path("opened").asLong()),
        instant(d.path("updated").asLong()), instant(d.path("last_evidence").asLong()),
        resolution, new Classification(c.path("label").asText(),
            c.path("confidence").asDouble()), evidence, timeline);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Nanoseconds since the epoch, saturated, as {@link H2IncidentStore} keeps times. */
  private static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException beyond2262) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // --- HTTP ---

  private record Answer(int status, String body, String what) {
    JsonNode expect(int ok, String action) {
      if (status != ok && !(ok == 200 && status == 201)) {
        throw new StoreException("incident store (" + what + "): " + action + " answered "
            + status + ": " + body.substring(0, Math.min(500, body.length())), null);
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new StoreException("incident store (" + what + "): " + action
            + " answered with what is not JSON: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Sends to the endpoint that answered last, moving on to the next one when it cannot be
   * reached: the endpoints are nodes of one cluster, any of them can answer.
   */
  private synchronized Answer send(String method, String path, JsonNode body) {
    IOException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      int e = (preferred + i) % endpoints.size();
      URI base = endpoints.get(e);
      HttpRequest.Builder b = HttpRequest.newBuilder(
          URI.create(base.toString().replaceAll("/+$", "") + path)).timeout(timeout)
          .header("Accept", "application/json");
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
      }
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        preferred = e;
        return new Answer(r.statusCode(), r.body(), base + "/" + index);
      } catch (IOException ex) {
        last = ex;
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted talking to the incident store at " + base, ex);
      }
    }
    throw new StoreException("incident store: no endpoint answered (" + endpoints + "): "
        + last, last);
  }
}
