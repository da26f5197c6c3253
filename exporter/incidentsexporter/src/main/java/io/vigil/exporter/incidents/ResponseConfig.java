package io.vigil.exporter.incidents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code response} block of the incidents exporter: rules that run an action when an
 * incident matches, with the guardrails that keep automation from making an outage worse.
 */
public class ResponseConfig {
  /** When true, nothing is called: the timeline says what would have run. */
  public boolean dryRun = false;
  /** Actions running at once, over all rules and targets; more wait their turn. */
  public int maxConcurrent = 4;
  /** Per target (scheme, host and port of the action's URL). */
  public CircuitBreaker circuitBreaker = new CircuitBreaker();
  /** Tried in order; every matching rule acts. */
  public List<Rule> rules = new ArrayList<>();
  /** The cluster the Kubernetes actions talk to. */
  public Kubernetes kubernetes = new Kubernetes();
  /** What the {@code command} action may run. */
  public Commands commands = new Commands();
  /**
   * TLS of the {@code webhook} and {@code alertmanager} actions' {@code https://} calls: a
   * private CA ({@code ca_file}) and a client certificate for endpoints that want one. Absent:
   * the JVM's trust store, no client certificate.
   */
  public io.vigil.config.tls.TlsClientSettings tls;

  /** {@code response::kubernetes}. */
  public static class Kubernetes {
    /**
     * A kubeconfig file; {@code ""} = the pod's service account when running in a cluster,
     * else {@code $KUBECONFIG} or {@code ~/.kube/config}.
     */
    public String kubeconfig = "";
    /** The kubeconfig context to use; {@code ""} = its current context. */
    public String context = "";
  }

  /** {@code response::commands}. */
  public static class Commands {
    /** Absolute paths of the programs a {@code command} action may run; nothing else runs. */
    public List<String> allowed = new ArrayList<>();
    /** Characters of a command's output (stdout and stderr) kept in the audit entry. */
    public int maxOutput = 2000;
  }

  /** {@code response::circuit_breaker}. */
  public static class CircuitBreaker {
    /** Consecutive failures of one target that open its circuit. */
    public int failures = 3;
    /** How long an open circuit refuses actions to its target before one is tried again. */
    public Duration coolDown = Duration.ofMinutes(5);
  }

  /** {@code response::rules::N}. */
  public static class Rule {
    public String name = "";
    public Match match = new Match();
    public Action action = new Action();
    /** The rule acts at most once per incident within this time. */
    public Duration onceWithin = Duration.ofHours(1);
    /**
     * What {@code once_within} counts per: {@code incident} (each incident may get the action)
     * or {@code service} (the incident's origin service gets it at most once, however many
     * incidents it has).
     */
    public String oncePer = "incident";
    /** The action waits until approved through the API ({@code POST .../actions/N/approve}). */
    public boolean requiresApproval = false;
    /**
     * The word a person runs this rule's action by from chat, {@code /vigil run <word>
     * <service>}, whatever the match says; {@code ""} = not from chat.
     */
    public String runAs = "";
  }

  /** {@code response::rules::N::match}; every condition given must hold, "" or [] = any. */
  public static class Match {
    /** The incident's cause label (classifier or a person's reclassify). */
    public String cause = "";
    /**
     * One of the incident's services; {@code kinds} and {@code text} are then read on that
     * service's evidence (and the title only when the incident is on it).
     */
    public String service = "";
    /**
     * The incident's severity or higher: {@code low}, {@code medium}, {@code high} or
     * {@code critical}.
     */
    public String severity = "";
    /** Any of these evidence kinds ({@code error_surge}, {@code alertmanager}, ...). */
    public List<String> kinds = new ArrayList<>();
    /** A regular expression found in the incident's title or an evidence body. */
    public String text = "";
  }

  /** {@code response::rules::N::action}. */
  public static class Action {
    /**
     * {@code webhook}, {@code alertmanager} (url = Alertmanager's base URL),
     * {@code rollout_restart}, {@code scale}, {@code cordon} or {@code command}.
     */
    public String type = "webhook";
    public String url = "";
    public String method = "POST";
    /**
     * The request body: JSON text with {@code ${incident.id}}, {@code ${incident.service}},
     * {@code ${incident.severity}}, {@code ${incident.title}}, {@code ${incident.state}},
     * {@code ${incident.cause}}, {@code ${incident.kinds}}, {@code ${rule.name}}; each value is
     * inserted JSON-escaped, so write {@code "${incident.title}"} inside quotes.
     */
    public String body = "";
    /** Per call; a call that takes longer counts as a failure. */
    public Duration timeout = Duration.ofSeconds(10);
    /** {@code rollout_restart}, {@code scale}: {@code deployment} or {@code statefulset}. */
    public String kind = "deployment";
    /** {@code rollout_restart}, {@code scale}: the workload's namespace (may be templated). */
    public String namespace = "default";
    /** {@code rollout_restart}, {@code scale}: the workload's name (may be templated). */
    public String name = "";
    /** {@code scale}: the replica count to set; give this or {@code by}. */
    public Integer replicas;
    /** {@code scale}: replicas to add (negative: remove) to the current count. */
    public Integer by;
    /** {@code scale}: never fewer replicas than this. */
    public int minReplicas = 1;
    /** {@code scale}: never more replicas than this; required. */
    public Integer maxReplicas;
    /** {@code cordon}: the node to mark unschedulable (may be templated). */
    public String node = "";
    /**
     * {@code command}: the program (an absolute path listed in
     * {@code response::commands::allowed}) and its arguments; arguments may hold placeholders,
     * each inserted as it is into that one argument (no shell is involved).
     */
    public List<String> argv = new ArrayList<>();
    /**
     * {@code alertmanager}: the alert's labels (values may be templated); none given =
     * {@code alertname: VigilIncident}, the incident's origin service and severity.
     */
    public Map<String, String> labels = new LinkedHashMap<>();
    /**
     * {@code alertmanager}: the alert's annotations (values may be templated); none given =
     * {@code summary}: the title, {@code incident}: its id.
     */
    public Map<String, String> annotations = new LinkedHashMap<>();
  }
}
