package io.vigil.exporter.incidents.response;

import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import io.vigil.exporter.incidents.response.action.ActionResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Runs the response rules on an incident each time its evidence changes (opened, joined,
 * reopened), with the guardrails in this order: match → once-within throttle → dry run →
 * approval → concurrency cap (a pool of {@code max_concurrent} threads; more wait) → circuit
 * breaker of the target → call. Every decision for a matching rule is a {@code response}
 * entry on the incident's timeline: the rule, the action's number, the inputs it saw, and the
 * outcome. A rule that does not match writes nothing: evidence arrives often, and "no" on
 * every record would bury the timeline.
 *
 * <p>Pending approvals and throttle times live in memory: a restart forgets them (the timeline
 * keeps what was decided).
 */
public final class ResponseEngine implements AutoCloseable {

  /** Timeline action of every audit entry. */
  public static final String AUDIT_ACTION = "response";
  private static final int QUEUE = 1000;

  private record Rule(ResponseConfig.Rule config, IncidentMatch match) {}

  /** @param name the rule's name as audited (with who ran it from chat) */
  private record Pending(Rule rule, ActionCall call, String inputs, String name) {}

  private final ResponseConfig config;
  private final List<Rule> rules = new ArrayList<>();
  private final IncidentLedger tracker;
  private final Clock clock;
  private final Logger log;
  private final CircuitBreakers breakers;
  private final Actions actionTypes;
  private final ThreadPoolExecutor actions;
  private final Map<String, Instant> lastActed = new HashMap<>();
  private final Map<String, AtomicInteger> numbers = new HashMap<>();
  private final Map<String, Pending> awaitingApproval = new LinkedHashMap<>();
  private volatile Consumer<String> approvalNeeded = text -> {};

  public ResponseEngine(ResponseConfig config, IncidentLedger tracker, Clock clock, Logger log) {
    this.config = config;
    config.rules.forEach(r -> rules.add(new Rule(r, new IncidentMatch(r.match))));
    this.tracker = tracker;
    this.clock = clock;
    this.log = log;
    this.actionTypes = new Actions(config, clock);
    this.breakers = new CircuitBreakers(config.circuitBreaker.failures,
        config.circuitBreaker.coolDown, clock);
    // The cap on concurrent actions: this many threads, the rest queued in order.
    AtomicInteger n = new AtomicInteger();
    this.actions = new ThreadPoolExecutor(config.maxConcurrent, config.maxConcurrent, 30,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "incidents-response-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    actions.allowCoreThreadTimeOut(true);
  }

  /**
   * Called, on the deciding thread, with a line for people when an action starts to await
   * approval: a chat notification. It must not block.
   */
  public void onApprovalNeeded(Consumer<String> listener) {
    this.approvalNeeded = listener;
  }

  /** Decides, for each rule, what to do about the incident as it is now. */
  public synchronized void consider(String incidentId) {
    Incident incident = tracker.get(incidentId);
    for (Rule rule : rules) {
      if (rule.match().matches(incident)) {
        decide(rule, incident);
      }
    }
  }

  private void decide(Rule rule, Incident incident) {
    decide(rule, incident, null, false, null);
  }

  /**
   * Runs a rule's action on a person's word (chat: {@code /vigil run <word> <service>}),
   * whatever its match says, through the same guardrails as a match: throttle, dry run (the
   * engine's, or {@code dryRun} for this run alone), approval, concurrency cap, circuit
   * breaker, and the audit entry on the incident's timeline naming {@code actor}. A dry run
   * asked for here does not count toward the throttle. Returns the audit note.
   *
   * @param service the service the action is for: {@code ${incident.service}} in its templates
   * @throws NoSuchActionException when no rule has {@code run_as: word}
   */
  public synchronized String run(String word, String incidentId, String service,
      boolean dryRun, String actor) {
    Rule rule = rules.stream().filter(r -> word.equals(r.config().runAs)).findFirst()
        .orElseThrow(() -> new NoSuchActionException("no response rule runs as \"" + word
            + "\"" + runWords()));
    return decide(rule, tracker.get(incidentId), actor, dryRun, service);
  }

  private String runWords() {
    List<String> words = rules.stream().map(r -> r.config().runAs).filter(w -> !w.isEmpty())
        .toList();
    return words.isEmpty() ? "; no rule has run_as" : "; these do: " + String.join(", ", words);
  }

  /**
   * @param by who asked (a chat run), or null when the rule matched
   * @param service the service a chat run names, or null
   * @return the audit note
   */
  private String decide(Rule rule, Incident incident, String by, boolean dryRun,
      String service) {
    ResponseConfig.Rule r = rule.config();
    String name = by == null ? r.name : r.name + " (run by " + by + ")";
    String inputs = inputs(incident) + (service == null ? "" : " for=" + service);
    Instant now = clock.instant();
    String throttleKey = r.name + "|" + ("service".equals(r.oncePer)
        ? "service:" + (service != null ? service : service(incident))
        : "incident:" + incident.id());
    Instant last = lastActed.get(throttleKey);
    if (last != null && now.isBefore(last.plus(r.onceWithin))) {
      return audit(incident.id(), name, "throttled: acted at " + last + ", once_within "
          + r.onceWithin + " per " + r.oncePer + "; " + inputs);
    }
    if (!dryRun) {
      lastActed.put(throttleKey, now);
    }
    int number = numbers.computeIfAbsent(incident.id(), k -> new AtomicInteger()).incrementAndGet();
    Map<String, String> values = values(r, incident);
    if (service != null) {
      values.put("incident.service", service);
    }
    ActionCall call;
    try {
      call = actionTypes.prepare(r.action, values);
    } catch (ActionRefusedException e) {
      return audit(incident.id(), name, "action " + number + " " + r.action.type + " refused: "
          + e.getMessage() + "; " + inputs);
    }
    String action = "action " + number + " " + call.describe();
    if (config.dryRun || dryRun) {
      return audit(incident.id(), name, "dry run: would " + (r.requiresApproval
          ? "ask approval for " : "run ") + action + " with " + abbreviate(call.detail())
          + "; " + inputs);
    }
    Pending p = new Pending(rule, call, inputs, name);
    if (r.requiresApproval) {
      awaitingApproval.put(incident.id() + "/" + number, p);
      String note = audit(incident.id(), name, action + " awaits approval (POST /api/incidents/"
          + incident.id() + "/actions/" + number + "/approve); " + inputs);
      approvalNeeded.accept(incident.id() + " (" + incident.severity().label() + ", "
          + String.join(", ", incident.services()) + ": " + incident.title() + "): rule "
          + name + " wants to run " + action + ". Approve with `/vigil approve "
          + incident.id().substring("inc-".length()) + " " + number + "`.");
      return note;
    }
    submit(incident.id(), number, p);
    return "rule " + name + ": " + action + " started (its outcome follows on the timeline); "
        + inputs;
  }

  /** Runs an action that waits for approval; {@code actor} is who approved it. */
  public void approve(String incidentId, int number, String actor) {
    Pending p;
    synchronized (this) {
      p = awaitingApproval.remove(incidentId + "/" + number);
    }
    if (p == null) {
      tracker.get(incidentId); // 404 for an unknown incident, before "no such action"
      throw new NoSuchActionException("incident " + incidentId + " has no action " + number
          + " awaiting approval");
    }
    audit(incidentId, p.name(), "action " + number + " "
        + p.call().describe() + " approved by " + actor);
    submit(incidentId, number, p);
  }

  private void submit(String incidentId, int number, Pending p) {
    String rule = p.name();
    String action = "action " + number + " " + p.call().describe();
    try {
      actions.execute(() -> run(incidentId, rule, action, p));
    } catch (RejectedExecutionException e) {
      audit(incidentId, rule, action + " not run: " + QUEUE + " actions already wait for one of"
          + " max_concurrent " + config.maxConcurrent + " slots; " + p.inputs());
    }
  }

  private void run(String incidentId, String rule, String action, Pending p) {
    String target = p.call().target();
    Instant open = breakers.openUntil(target);
    if (open != null) {
      audit(incidentId, rule, action + " not run: circuit open for " + target + " until "
          + open + " (" + config.circuitBreaker.failures + " consecutive failures); "
          + p.inputs());
      return;
    }
    ActionResult result;
    try {
      result = p.call().call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      audit(incidentId, rule, action + " interrupted by shutdown");
      return;
    }
    String note = action + " " + (result.ok() ? "succeeded: " : "failed: ") + result.outcome();
    if (result.ok()) {
      breakers.succeeded(target);
    } else if (breakers.failed(target)) {
      note += "; circuit for " + target + " opens for " + config.circuitBreaker.coolDown;
    }
    audit(incidentId, rule, note + "; " + p.inputs());
  }

  private String audit(String incidentId, String rule, String note) {
    String text = "rule " + rule + ": " + note;
    try {
      tracker.audit(incidentId, IncidentLedger.SYSTEM, AUDIT_ACTION, text);
    } catch (RuntimeException e) {
      // The store failing (or closed at shutdown) must not kill an action thread; the log
      // keeps what the timeline could not.
      log.warn("incidents response: could not audit on {}: rule {}: {} ({})", incidentId, rule,
          note, e.toString());
    }
    return text;
  }

  private static String inputs(Incident i) {
    return "inputs: severity=" + i.severity().label() + " services=" + i.services()
        + " cause=" + (i.classification() == null ? "unclassified" : i.classification().label())
        + " kinds=" + kinds(i) + " state=" + i.state().label();
  }

  private static List<String> kinds(Incident i) {
    LinkedHashSet<String> k = new LinkedHashSet<>();
    i.evidence().forEach(e -> k.add(e.kind()));
    return List.copyOf(k);
  }

  private static String service(Incident i) {
    return i.origin() != null ? i.origin()
        : i.evidence().isEmpty() ? "" : i.evidence().get(0).service();
  }

  private static Map<String, String> values(ResponseConfig.Rule r, Incident i) {
    Map<String, String> v = new HashMap<>();
    v.put("incident.id", i.id());
    v.put("incident.service", service(i));
    v.put("incident.services", String.join(",", i.services()));
    v.put("incident.severity", i.severity().label());
    v.put("incident.title", i.title());
    v.put("incident.state", i.state().label());
    v.put("incident.cause", i.classification() == null ? "unclassified"
        : i.classification().label());
    v.put("incident.kinds", String.join(",", kinds(i)));
    v.put("rule.name", r.name);
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }

  /** Waits for running actions up to the deadline; queued ones are dropped (logged). */
  public void shutdown(Instant deadline) {
    actions.shutdown();
    try {
      long ms = Math.max(0, deadline.toEpochMilli() - System.currentTimeMillis());
      if (!actions.awaitTermination(ms, TimeUnit.MILLISECONDS)) {
        int dropped = actions.shutdownNow().size();
        if (dropped > 0) {
          log.warn("incidents response: {} queued action(s) not run at shutdown", dropped);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      actions.shutdownNow();
    } finally {
      actionTypes.close();
    }
  }

  @Override
  public void close() {
    shutdown(Instant.now());
  }
}
