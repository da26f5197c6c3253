package io.vigil.exporter.incidents;

import io.vigil.config.tls.TlsClientSettings;
import io.vigil.config.tls.TlsServerSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Config of the {@code incidents} exporter. */
public class IncidentsExporterConfig {
  /** Directory of the embedded store (created if missing); required with {@code store::type: h2}. */
  public String directory = "";
  /** A service's anomaly joins its active incident if within this time of its last evidence. */
  public Duration groupWindow = Duration.ofMinutes(10);
  /** A signature recurring within this time after resolution reopens the incident. */
  public Duration reopenWindow = Duration.ofHours(24);
  /**
   * Link templates by name ({@code jaeger}, {@code kibana}, ...), rendered per incident with
   * {@code {trace_id}}, {@code {service}}, {@code {incident_id}}, {@code {start}}, {@code {end}},
   * {@code {start_ms}} and {@code {end_ms}}. A template with {@code {trace_id}} gives one link
   * per exemplar trace.
   */
  public Map<String, String> links = new LinkedHashMap<>();
  /** Exemplar traces a {@code {trace_id}} link is rendered for, per incident. */
  public int maxTraceLinks = 5;
  /** Name of the {@link CauseClassifier} to use; {@code none} leaves incidents unclassified. */
  public String classifier = "none";
  /** Name of the {@link Recommender} to use; {@code none} recommends nothing. */
  public String recommender = "none";
  public Api api = new Api();
  /** Automated response: rules, actions and their guardrails. */
  public ResponseConfig response = new ResponseConfig();
  /** Slash commands from Slack or Mattermost, on the API's endpoint. */
  public ChatConfig chat = new ChatConfig();
  /** Where incidents are kept: the embedded H2 database, or a search engine shared by replicas. */
  public Store store = new Store();
  /**
   * JSON Lines file every anomaly record read is appended to, for replaying a run offline;
   * {@code ""} = none.
   */
  public String anomaliesFile = "";
  /** Which anomaly records open an incident; the weak ones are held and, unjoined, expire. */
  public OpeningConfig opening = new OpeningConfig();
  /** How the origin is read from spans, when a traces pipeline feeds this exporter too. */
  public OriginConfig origin = new OriginConfig();

  /** The {@code origin} block. */
  public static class OriginConfig {
    /** Spans kept (parent link, service, error flag) for naming origins; oldest traces go. */
    public int maxSpans = 200_000;
    /** How long after filing evidence later spans of its traces may still change its origin. */
    public Duration settle = Duration.ofSeconds(60);
  }

  /** The {@code store} block. */
  public static class Store {
    /** {@code h2} (embedded, in {@code directory}), {@code opensearch} or {@code elasticsearch}. */
    public String type = "h2";
    /** Base URLs of the cluster's nodes ({@code http://opensearch:9200}); tried in turn. */
    public java.util.List<String> endpoints = new java.util.ArrayList<>();
    /** The index of the incidents; {@code <index>-sequence} holds the ID counter. */
    public String index = "vigil-incidents";
    /** Per request. */
    public Duration timeout = Duration.ofSeconds(10);
    /** HTTP basic authentication; {@code ""} = none. */
    public String username = "";
    public String password = "";
    /**
     * For {@code https://} endpoints: the cluster's CA ({@code ca_file}, else the JVM's trust
     * store), a client certificate, {@code insecure_skip_verify}; null = the JVM's defaults.
     */
    public TlsClientSettings tls;
  }
  /** What the classifier and recommender learn from; unused by {@code none}. */
  public KnowledgeBaseConfig knowledgeBase = new KnowledgeBaseConfig();

  /** The {@code knowledge_base} block: handed to the classifier and recommender. */
  public static class KnowledgeBaseConfig {
    /** Past incidents in JSON Lines (the post-mortem format), trained on at start; "" = none. */
    public String path = "";
    /** A model trained ahead of time from such a file, loaded instead; "" = none. */
    public String model = "";

    /** The block as the plugins see it. */
    public KnowledgeBase resolve() {
      return new KnowledgeBase(path == null || path.isBlank() ? null : java.nio.file.Path.of(path),
          model == null || model.isBlank() ? null : java.nio.file.Path.of(model));
    }
  }

  /** The HTTP JSON API. */
  public static class Api {
    /** {@code host:port} it listens on; {@code ""} = no API. */
    public String endpoint = "127.0.0.1:8687";
    /** Bearer token every request must carry; {@code ""} = none required. */
    public String token = "";
    /**
     * HTTPS (and, with {@code client_ca_file}, mutual TLS) for the API and the chat endpoints on
     * it; absent = plain HTTP. The bearer token and Slack's signed bodies cross this link.
     */
    public TlsServerSettings tls;
  }
}
