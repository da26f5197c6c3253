package io.vigil.exporter.incidents.internal;

import io.vigil.exporter.incidents.Classification;
import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentHistory;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.Resolution;
import io.vigil.exporter.incidents.Severity;
import io.vigil.exporter.incidents.TimelineEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Where incidents, their evidence, state and timeline are kept. The lookups are the questions
 * grouping asks; the writes are each one transaction, so a crash leaves no half-recorded change.
 * Implementations need not be thread-safe: {@link IncidentTracker} calls them under one lock.
 */
public interface IncidentStore extends IncidentHistory, AutoCloseable {

  /** Whether evidence with this key is stored (in any incident). */
  boolean hasEvidence(String key);

  /** The active incident, most recently updated, with evidence on one of these traces. */
  Optional<Incident> activeSharingTrace(Collection<String> traceIds);

  /** The active incident with evidence from {@code service} and last evidence at or after. */
  Optional<Incident> activeWithService(String service, Instant lastEvidenceFrom);

  /** The resolved incident, latest resolved first, with this signature, resolved at or after. */
  Optional<Incident> resolvedWithSignature(String signature, Instant resolvedFrom);

  /** Stores a new incident with its first evidence and its {@code opened} timeline entry. */
  String open(Severity severity, String title, Evidence first, Classification classification,
      TimelineEntry opened);

  /** Adds evidence and the severity and last-evidence time it leads to. */
  void addEvidence(String id, Evidence evidence, Severity severity, Instant lastEvidence,
      Instant updated);

  /**
   * Records a state change; {@code resolution} replaces the stored one when not null. A store
   * shared by several replicas checks the change against the version it writes over and
   * throws {@link TransitionRefusedException} when another replica moved the incident first.
   */
  /**
   * Sets the trace origin of evidence {@code evidenceKey} of incident {@code id}: its traces'
   * spans arrived, or more of them, after the evidence was stored.
   */
  void setTraceOrigin(String id, String evidenceKey, String origin, Instant updated);

  /**
   * Claims the right to open an incident for {@code keys} (a service, trace IDs) while another
   * replica sharing this store may be about to open one for the same keys; false when another
   * holds a claim on one of them. A claim older than {@code expiry} is taken over: its replica
   * died while opening. A store no other process writes claims nothing and returns true.
   */
  default boolean claimOpening(java.util.List<String> keys, java.time.Duration expiry) {
    return true;
  }

  /** Gives up the claims {@link #claimOpening} took. */
  default void releaseOpening(java.util.List<String> keys) {}

  void transition(String id, IncidentState state, Resolution resolution, TimelineEntry entry);

  void classify(String id, Classification classification, TimelineEntry entry);

  /**
   * Appends a timeline entry that changes neither state nor {@code updated}: an audit of a
   * decision (a response rule's), which must not make the incident look newly active.
   */
  void record(String id, TimelineEntry entry);

  @Override
  void close();
}
