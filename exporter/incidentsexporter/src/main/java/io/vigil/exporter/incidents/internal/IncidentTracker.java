package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.CauseClassifier;
import io.vigil.exporter.incidents.Classification;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.IncidentText;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.Recommender;
import io.vigil.exporter.incidents.Resolution;
import io.vigil.exporter.incidents.TimelineEntry;
import io.vigil.exporter.incidents.response.IncidentLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups evidence into incidents and moves incidents through their lifecycle. A new anomaly
 * goes, in this order of precedence, to:
 *
 * <ol>
 *   <li>the active incident with evidence on one of its traces, whatever the service: a fault
 *       on a request path shows up in every service the request crosses;
 *   <li>the active incident with evidence from its service whose last evidence is at most
 *       {@code group_window} before it (record time);
 *   <li>the resolved incident with its signature (service and template or series) resolved at
 *       most {@code reopen_window} before it, which is reopened: the fault is back;
 *   <li>a new incident.
 * </ol>
 *
 * An anomaly whose key is stored already (the same kind, signature and window) is dropped:
 * detectors and retries may deliver one anomaly more than once. Every method runs under this
 * object's lock, so grouping and a person's resolve cannot interleave.
 */
public final class IncidentTracker implements IncidentLedger {

  /** Actor of the changes the exporter makes itself. */
  public static final String SYSTEM = "vigil";

  private final IncidentStore store;
  private final Duration groupWindow;
  private final Duration reopenWindow;
  private final CauseClassifier classifier;
  private final Recommender recommender;
  private final Clock clock;
  private final OpeningPolicy opening;
  private final HeldSignals signals;
  private volatile Listener listener;

  /**
   * Told of each change, under the tracker's lock, after it is stored: {@code opened},
   * {@code reopened}, {@code joined} (new evidence), {@code acknowledged}, {@code resolved}.
   * It must not block (a chat notification only hands its post to an HTTP client).
   */
  @FunctionalInterface
  public interface Listener {
    void changed(Incident incident, String change);
  }

  /** A tracker on which every record opens or joins an incident ({@link OpeningPolicy#EVERY}). */
  public IncidentTracker(IncidentStore store, Duration groupWindow, Duration reopenWindow,
      CauseClassifier classifier, Recommender recommender, Clock clock) {
    this(store, groupWindow, reopenWindow, classifier, recommender, clock, OpeningPolicy.EVERY);
  }

  public IncidentTracker(IncidentStore store, Duration groupWindow, Duration reopenWindow,
      CauseClassifier classifier, Recommender recommender, Clock clock, OpeningPolicy opening) {
    this.opening = opening;
    this.signals = new HeldSignals(opening.maxKept());
    this.store = store;
    this.groupWindow = groupWindow;
    this.reopenWindow = reopenWindow;
    this.classifier = classifier;
    this.recommender = recommender;
    this.clock = clock;
  }

  /**
   * What became of one piece of evidence. {@code HELD}: a weak signal, waiting for an incident
   * to join; it later counts once more, as {@code RELEASED} (filed under an incident) or
   * {@code EXPIRED} (a signal not opened).
   */
  public enum Outcome { OPENED, JOINED, REOPENED, DUPLICATE, HELD, RELEASED, EXPIRED }

  /** Sets the one listener told of changes (chat notifications); null = none. */
  public void onChange(Listener l) {
    this.listener = l;
  }

  private void tell(String id, String change) {
    Listener l = listener;
    if (l == null || id == null) {
      return;
    }
    try {
      l.changed(get(id), change);
    } catch (RuntimeException e) {
      // A notification's failure must not undo or fail the change it reports.
      org.slf4j.LoggerFactory.getLogger(IncidentTracker.class).warn(
          "incident {} {}: the change listener failed: {}", id, change, e.toString());
    }
  }

  /** Files {@code e} as a record of unknown severity (see {@link #record(AnomalySignal)}). */
  public Result record(Evidence e) {
    return record(new AnomalySignal(e, null));
  }

  /**
   * Files a record: under the active incident it belongs to; else, when the opening policy
   * finds it strong, under a reopened or new incident, with the held signals of its service and
   * traces; else it is held. Returns what happened, the incident's ID, and the held signals
   * filed with it.
   */
  public synchronized Result record(AnomalySignal s) {
    Result r = file(s);
    switch (r.outcome()) {
      case OPENED -> tell(r.incidentId(), "opened");
      case REOPENED -> tell(r.incidentId(), "reopened");
      case JOINED -> tell(r.incidentId(), "joined");
      default -> { }
    }
    return r;
  }

  private Result file(AnomalySignal s) {
    Evidence e = s.evidence();
    List<Evidence> expired = expire();
    if (store.hasEvidence(e.key()) || signals.holds(e.key())) {
      return new Result(Outcome.DUPLICATE, null, List.of(), expired);
    }
    Optional<Incident> active = store.activeSharingTrace(e.traceIds())
        .or(() -> store.activeWithService(e.service(), e.windowEnd().minus(groupWindow)));
    if (active.isPresent()) {
      join(active.get(), e);
      return new Result(Outcome.JOINED, active.get().id(), release(active.get().id(), e),
          expired);
    }
    OpeningPolicy.Verdict verdict = opening.judge(s);
    if (!verdict.strong()) {
      HeldSignals.NotOpened pushedOut = signals.hold(s, verdict.reason(), clock.instant());
      if (pushedOut != null) {
        expired = new ArrayList<>(expired);
        expired.add(pushedOut.signal().evidence());
      }
      List<HeldSignals.Held> together = signals.takeIfTheyAddUp(e.service(),
          opening.minSignals(), opening.persist());
      if (together.isEmpty()) {
        return new Result(Outcome.HELD, null, List.of(), expired);
      }
      // They add up: the earliest opens the incident, the others join it.
      Evidence first = together.get(0).evidence();
      String id = open(first, "weak signals adding up on " + e.service() + ": "
          + together.size() + " within " + opening.persist().toSeconds() + " s or more ("
          + together.get(0).reason() + ", ...)");
      List<Evidence> released = new ArrayList<>();
      for (HeldSignals.Held h : together.subList(1, together.size())) {
        joinById(id, h.evidence());
        if (h.evidence() != e) {
          released.add(h.evidence());
        }
      }
      if (first != e) {
        released.add(first);
      }
      return new Result(Outcome.OPENED, id, released, expired);
    }
    Result filed = fileStrong(e, verdict.reason());
    return new Result(filed.outcome(), filed.incidentId(),
        filed.incidentId() == null ? List.of() : release(filed.incidentId(), e), expired);
  }

  /**
   * Files the held signals of {@code e}'s service and traces from within {@code group_window}
   * before it under incident {@code id}; returns them.
   */
  private List<Evidence> release(String id, Evidence e) {
    List<Evidence> out = new ArrayList<>();
    for (HeldSignals.Held h : signals.take(e.service(), e.traceIds(),
        e.windowEnd().minus(groupWindow))) {
      joinById(id, h.evidence().asHeld());
      out.add(h.evidence());
    }
    return out;
  }

  private void joinById(String id, Evidence e) {
    store.find(id).ifPresent(i -> join(i, e));
  }

  /** Expires the signals held longer than the hold; returns their evidence. */
  public synchronized List<Evidence> expire() {
    return signals.expire(clock.instant(), opening.hold()).stream()
        .map(n -> n.signal().evidence()).toList();
  }

  /** Expires every held signal (the exporter stops: they are in memory only). */
  public synchronized List<Evidence> expireAll(String why) {
    return signals.expireAll(clock.instant(), why).stream()
        .map(n -> n.signal().evidence()).toList();
  }

  /** The weak signals held now, oldest first. */
  public synchronized List<HeldSignals.Held> heldSignals() {
    expire();
    return signals.held();
  }

  /** The latest signals not opened, newest first, and how many there were since start. */
  public synchronized SignalsNotOpened signalsNotOpened(int limit) {
    expire();
    return new SignalsNotOpened(signals.notOpened(limit), signals.expiredCount());
  }

  /** @param total signals not opened since start, including those no longer kept */
  public record SignalsNotOpened(List<HeldSignals.NotOpened> latest, long total) {}

  private Result fileStrong(Evidence e, String why) {
    Optional<Incident> recurred =
        store.resolvedWithSignature(e.signature(), e.windowEnd().minus(reopenWindow));
    if (recurred.isPresent()) {
      Incident i = recurred.get();
      join(i, e);
      try {
        store.transition(i.id(), IncidentState.REOPENED, null, new TimelineEntry(
            clock.instant(), SYSTEM, "reopened", IncidentState.REOPENED, "recurred: "
            + e.kind() + " " + subject(e) + " on " + e.service()));
      } catch (TransitionRefusedException reopenedMeanwhile) {
        // A store shared by replicas: another one reopened it first; the evidence joined it.
        return new Result(Outcome.JOINED, i.id());
      }
      return new Result(Outcome.REOPENED, i.id());
    }
    return openClaimed(e, why);
  }

  private Result openClaimed(Evidence e, String why) {
    // Replicas sharing a store may each be about to open an incident for the same fault: the
    // service and traces are claimed first; who cannot claim them waits for the other's
    // incident and joins it.
    List<String> keys = openingKeys(e);
    boolean claimed = false;
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS && !claimed; attempt++) {
      claimed = store.claimOpening(keys, CLAIM_EXPIRY);
      if (!claimed) {
        pause(CLAIM_WAIT);
      }
      Optional<Incident> opened = store.activeSharingTrace(e.traceIds())
          .or(() -> store.activeWithService(e.service(), e.windowEnd().minus(groupWindow)));
      if (opened.isPresent()) {
        if (claimed) {
          store.releaseOpening(keys);
        }
        join(opened.get(), e);
        return new Result(Outcome.JOINED, opened.get().id());
      }
    }
    try {
      return new Result(Outcome.OPENED, open(e, why));
    } finally {
      if (claimed) {
        store.releaseOpening(keys);
      }
    }
  }

  /** How long a replica waits for another's claim before it opens anyway (a claim can leak). */
  private static final int CLAIM_ATTEMPTS = 20;
  private static final Duration CLAIM_WAIT = Duration.ofMillis(50);
  private static final Duration CLAIM_EXPIRY = Duration.ofSeconds(30);

  private static List<String> openingKeys(Evidence e) {
    List<String> keys = new ArrayList<>();
    keys.add("service:" + e.service());
    e.traceIds().forEach(t -> keys.add("trace:" + t));
    return keys;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private String open(Evidence e, String why) {
    Instant now = clock.instant();
    String title = title(e);
    Classification c = safeClassify(new IncidentText(title, List.of(e.service()),
        List.of(e.kind()), e.template() == null ? List.of() : List.of(e.template()),
        e.series() == null ? List.of() : List.of(e.series()),
        e.body().isEmpty() ? List.of() : List.of(e.body())));
    return store.open(SeverityRule.of(List.of(e)), title, e, c,
        new TimelineEntry(now, SYSTEM, "opened", IncidentState.OPEN, e.kind() + " on "
            + e.service() + (opening.every() ? "" : " (" + why + ")")));
  }

  /**
   * @param incidentId null for a duplicate or a held signal
   * @param released held signals filed under the incident with this record
   * @param expired held signals that expired (signals not opened) as this record came
   */
  public record Result(Outcome outcome, String incidentId, List<Evidence> released,
      List<Evidence> expired) {
    public Result(Outcome outcome, String incidentId) {
      this(outcome, incidentId, List.of(), List.of());
    }
  }

  private void join(Incident i, Evidence e) {
    List<Evidence> all = new ArrayList<>(i.evidence());
    all.add(e);
    Instant last = e.windowEnd().isAfter(i.lastEvidence()) ? e.windowEnd() : i.lastEvidence();
    store.addEvidence(i.id(), e, SeverityRule.of(all), last, clock.instant());
  }

  /**
   * Sets the trace origin of evidence {@code key} of incident {@code id}, once its traces' spans
   * arrived; the incident's origin follows from its evidence.
   */
  public synchronized void traceOrigin(String id, String key, String origin) {
    store.setTraceOrigin(id, key, origin, clock.instant());
  }

  public synchronized Incident acknowledge(String id, String actor, String note) {
    Transitions.check(id, get(id).state(), IncidentState.ACKNOWLEDGED);
    store.transition(id, IncidentState.ACKNOWLEDGED, null, new TimelineEntry(clock.instant(),
        actor, "acknowledged", IncidentState.ACKNOWLEDGED, note));
    tell(id, "acknowledged");
    return get(id);
  }

  public synchronized Incident resolve(String id, String actor, String category, String note) {
    Transitions.check(id, get(id).state(), IncidentState.RESOLVED);
    Instant now = clock.instant();
    store.transition(id, IncidentState.RESOLVED, new Resolution(category, note, now),
        new TimelineEntry(now, actor, "resolved", IncidentState.RESOLVED,
            category + ": " + note));
    tell(id, "resolved");
    return get(id);
  }

  public synchronized Incident reopen(String id, String actor, String note) {
    Transitions.check(id, get(id).state(), IncidentState.REOPENED);
    store.transition(id, IncidentState.REOPENED, null, new TimelineEntry(clock.instant(), actor,
        "reopened", IncidentState.REOPENED, note));
    tell(id, "reopened");
    return get(id);
  }

  /**
   * Sets the incident's cause: {@code manual} when a person names it (confidence 1), else what
   * the classifier says now.
   */
  public synchronized Incident reclassify(String id, String actor, String manual) {
    Incident i = get(id);
    Classification c = manual != null ? new Classification(manual, 1.0)
        : safeClassify(IncidentText.of(i));
    store.classify(id, c, new TimelineEntry(clock.instant(), actor, "reclassified", i.state(),
        c.label() + String.format(" (confidence %.2f)", c.confidence())));
    return get(id);
  }

  @Override
  public synchronized void audit(String id, String actor, String action, String note) {
    Incident i = get(id);
    store.record(id, new TimelineEntry(clock.instant(), actor, action, i.state(), note));
  }

  public synchronized List<Recommendation> similar(String id, int k) {
    return recommender.similar(get(id), k);
  }

  @Override
  public synchronized Incident get(String id) {
    return store.find(id).orElseThrow(() -> new UnknownIncidentException(id));
  }

  public synchronized List<Incident> list(IncidentQuery query) {
    return store.list(query);
  }

  /**
   * Resolution categories to offer a person resolving an incident: the classifier's cause
   * classes, then those given in the latest {@code recent} resolutions, each with how many of
   * those resolutions used it. Categories stay free text; this is what has been said so far.
   */
  public synchronized Map<String, Integer> resolutionCategories(int recent) {
    Map<String, Integer> out = new LinkedHashMap<>();
    classifier.labels().forEach(l -> out.put(l, 0));
    for (Incident i : store.list(new IncidentQuery(IncidentState.RESOLVED, null, null, recent))) {
      if (i.resolution() != null) {
        out.merge(i.resolution().category(), 1, Integer::sum);
      }
    }
    return out;
  }

  private Classification safeClassify(IncidentText text) {
    try {
      Classification c = classifier.classify(text);
      return c == null ? Classification.UNCLASSIFIED : c;
    } catch (RuntimeException e) {
      // A classifier's bug must not lose the incident; it stays unclassified until
      // reclassified.
      org.slf4j.LoggerFactory.getLogger(IncidentTracker.class).warn(
          "classifier {} failed on \"{}\"; the incident stays unclassified: {}",
          classifier.name(), text.title(), e.toString());
      return Classification.UNCLASSIFIED;
    }
  }

  private static String subject(Evidence e) {
    return e.series() != null ? e.series() : e.template() != null ? "'" + e.template() + "'"
        : e.kind();
  }

  private static String title(Evidence e) {
    String t = e.body() == null || e.body().isBlank() ? e.kind() + " on " + e.service()
        : e.body();
    return t.length() <= 300 ? t : t.substring(0, 299) + "…";
  }
}
