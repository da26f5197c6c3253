package io.vigil.exporter.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * What the exporter installs before it writes: it asks {@code GET /} which engine answers,
 * installs the retention policy (ILM or ISM) and then the index templates that refer to it.
 * It runs in the background and tries again (every 1 s, growing to 30 s) until it succeeded,
 * so a gateway can start while the engine is down; writes wait for it.
 */
final class EngineSetup {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SearchEngineHttp http;
  private final ElasticsearchExporterConfig config;
  private final RecordMapping mapping;
  private final List<IndexNames> indexNames;
  private final Duration timeout;
  private final Logger log;
  private volatile boolean done;
  private volatile String lastProblem = "not tried yet";
  private volatile Distribution distribution;
  private int failures;

  EngineSetup(SearchEngineHttp http, ElasticsearchExporterConfig config, RecordMapping mapping,
      List<IndexNames> indexNames, Logger log) {
    this.http = http;
    this.config = config;
    this.mapping = mapping;
    this.indexNames = List.copyOf(indexNames);
    this.timeout = config.timeout;
    this.log = log;
    this.done = !config.installTemplates && !config.retention.enabled;
  }

  boolean isDone() {
    return done;
  }

  String lastProblem() {
    return lastProblem;
  }

  /** Null until {@code GET /} was answered. */
  Distribution distribution() {
    return distribution;
  }

  /** Starts the first try now on {@code scheduler}; later tries follow on it. */
  void start(ScheduledExecutorService scheduler) {
    if (!done) {
      scheduler.execute(() -> tryOnce(scheduler));
    }
  }

  private void tryOnce(ScheduledExecutorService scheduler) {
    try {
      runSteps();
      done = true;
      lastProblem = "";
    } catch (RuntimeException e) {
      failures++;
      lastProblem = e.getMessage();
      long delayMs = Math.min(30_000, 1000L << Math.min(5, failures - 1));
      log.warn("Cannot install index templates or retention policy yet (try {}), trying again"
          + " in {} ms; writes wait until then: {}", failures, delayMs, lastProblem);
      if (!scheduler.isShutdown()) {
        scheduler.schedule(() -> tryOnce(scheduler), delayMs, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The steps, in order; each throws with a message for the operator when it fails. */
  void runSteps() {
    JsonNode root = readJson(call("GET", "/", null), "GET /");
    distribution = Distribution.of(root);
    RetentionPolicy retention = null;
    if (config.retention.enabled) {
      retention = new RetentionPolicy(config.retention, indexNames.get(0).usesDataStreams());
      if (!installRetention(retention)) {
        retention = null;
      }
    }
    if (config.installTemplates) {
      for (IndexNames names : indexNames) {
        ObjectNode template = IndexTemplates.template(mapping, names, config.templatePriority,
            distribution, retention);
        SearchEngineHttp.Response r = call("PUT", "/_index_template/" + templateName(names),
            bytes(template));
        if (!r.ok()) {
          throw new IllegalStateException("index template " + templateName(names)
              + " refused with HTTP " + r.status() + ": " + r.text());
        }
        log.info("Installed index template {} for {} ({} mapping{})", templateName(names),
            names.indexPattern(), config.mapping.mode, retention == null ? ""
                : ", retention policy " + retention.name());
      }
    }
  }

  static String templateName(IndexNames names) {
    return names.usesDataStreams()
        ? IndexTemplates.name(names.indexPattern().substring(0, names.indexPattern().indexOf('-')))
        : IndexTemplates.name(names.indexPattern().substring(0, names.indexPattern().length() - 2));
  }

  /** @return false when the engine has no retention API (logged), true when installed */
  private boolean installRetention(RetentionPolicy policy) {
    if (distribution == Distribution.ELASTICSEARCH) {
      SearchEngineHttp.Response r = call("PUT", "/_ilm/policy/" + policy.name(),
          bytes(policy.ilm()));
      if (noHandler(r)) {
        log.warn("Elasticsearch at {} has no index lifecycle management (an OSS build?):"
            + " retention policy {} not installed, indices will not roll over or be deleted"
            + " by it", r.url(), policy.name());
        return false;
      }
      if (!r.ok()) {
        throw new IllegalStateException("ILM policy " + policy.name() + " refused with HTTP "
            + r.status() + ": " + r.text());
      }
      log.info("Installed ILM policy {}", policy.name());
      return true;
    }
    List<String> patterns = new ArrayList<>();
    for (IndexNames n : indexNames) {
      patterns.add(n.usesDataStreams() ? ".ds-" + n.indexPattern() : n.indexPattern());
    }
    String path = "/_plugins/_ism/policies/" + policy.name();
    SearchEngineHttp.Response existing = call("GET", path, null);
    if (noHandler(existing)) {
      log.warn("OpenSearch at {} has no Index State Management plugin: retention policy {} not"
          + " installed, indices will not roll over or be deleted by it", existing.url(),
          policy.name());
      return false;
    }
    if (existing.ok()) {
      // ISM refuses to overwrite a policy without the sequence number it replaces.
      JsonNode current = readJson(existing, "GET " + path);
      path += "?if_seq_no=" + current.path("_seq_no").asLong()
          + "&if_primary_term=" + current.path("_primary_term").asLong();
    } else if (existing.status() != 404) {
      throw new IllegalStateException("GET " + path + " answered HTTP " + existing.status()
          + ": " + existing.text());
    }
    SearchEngineHttp.Response r = call("PUT", path, bytes(policy.ism(patterns)));
    if (!r.ok()) {
      throw new IllegalStateException("ISM policy " + policy.name() + " refused with HTTP "
          + r.status() + ": " + r.text());
    }
    log.info("Installed ISM policy {} for {}", policy.name(), patterns);
    return true;
  }

  /** The engine has no such API: "no handler found for uri", or a 404/405 without JSON error. */
  private static boolean noHandler(SearchEngineHttp.Response r) {
    String text = r.text();
    return (r.status() == 400 || r.status() == 404 || r.status() == 405)
        && text.contains("no handler found");
  }

  private SearchEngineHttp.Response call(String method, String path, byte[] json) {
    try {
      return http.json(method, path, json, timeout).join();
    } catch (CompletionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot reach the search engine for " + method + " "
          + path + ": " + c, c);
    }
  }

  private static JsonNode readJson(SearchEngineHttp.Response r, String what) {
    if (!r.ok()) {
      throw new IllegalStateException(what + " answered HTTP " + r.status() + " from "
          + r.url() + ": " + r.text() + (r.status() == 401 || r.status() == 403
          ? " (check user/password or api_key)" : ""));
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException(what + " did not answer JSON: " + r.text(), e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
