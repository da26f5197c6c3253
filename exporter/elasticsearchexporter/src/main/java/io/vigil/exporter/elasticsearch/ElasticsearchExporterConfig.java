package io.vigil.exporter.elasticsearch;

import io.vigil.exporter.exporterhelper.SendingSettings;
import io.vigil.config.tls.TlsClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Config of the {@code elasticsearch} exporter. Keys follow the collector-contrib
 * elasticsearchexporter where it has one ({@code endpoints}, {@code logs_index},
 * {@code traces_index}, {@code mapping::mode}, {@code compression}, {@code user},
 * {@code password}, {@code api_key}); templates and retention are Vigil's.
 */
public class ElasticsearchExporterConfig extends SendingSettings {

  /** One base URL, e.g. {@code https://es:9200}; same as a one-element {@code endpoints}. */
  public String endpoint = "";
  /** Base URLs of the nodes to send to; requests go round-robin over them. */
  public List<String> endpoints = new ArrayList<>();

  /** {@code mapping::mode}: {@code ecs} or {@code otel}. */
  public Mapping mapping = new Mapping();

  /** Data stream naming; used when {@code logs_index} / {@code traces_index} are empty. */
  public DataStream dataStream = new DataStream();

  /**
   * A fixed index name prefix for logs; when set, logs go to dated indices
   * {@code <logs_index>-<date>} instead of a data stream.
   */
  public String logsIndex = "";
  /** As {@code logs_index}, for spans. */
  public String tracesIndex = "";
  /** java.time pattern of the date suffix of dated indices, from the record's own time (UTC). */
  public String indexDateFormat = "yyyy.MM.dd";

  /** Install (and update) the index templates at start. */
  public boolean installTemplates = true;
  /** Priority of the installed composable templates; above the engine's built-in ones (100). */
  public int templatePriority = 200;

  /** {@code retention}: an ILM (Elasticsearch) or ISM (OpenSearch) policy installed at start. */
  public Retention retention = new Retention();

  /** HTTP basic authentication, with {@link #password}; the contrib exporter's spelling. */
  public String user = "";
  public String password = "";
  /** The encoded API key (base64 of {@code id:api_key}), as Kibana shows it. */
  public String apiKey = "";

  /**
   * {@code auth}: in the Collector, {@code authenticator} names an auth extension, which Vigil
   * does not have; the block is read only to refuse it, and Vigil's former spellings in it,
   * with a message saying what to write instead.
   */
  public Auth auth = new Auth();

  /**
   * {@code tls}: {@code ca_file} to trust a private CA, {@code cert_file}/{@code key_file} for a
   * client certificate (mutual TLS), versions and {@code reload_interval}; read by configtls.
   */
  public TlsClientSettings tls = new TlsClientSettings();

  /** gzip (default) or none: compression of bulk request bodies. */
  public String compression = "gzip";

  public ElasticsearchExporterConfig() {
    timeout = Duration.ofSeconds(30);
  }

  /** {@code mapping}. */
  public static class Mapping {
    /** ecs: Elastic Common Schema field names; otel: OpenTelemetry's own names. */
    public String mode = "ecs";
  }

  /** {@code data_stream}: the defaults of {@code <type>-<dataset>-<namespace>}. */
  public static class DataStream {
    /** Overridden per record by the {@code data_stream.dataset} attribute. */
    public String dataset = "generic";
    /** Overridden per record by the {@code data_stream.namespace} attribute. */
    public String namespace = "default";
  }

  /** {@code retention}. */
  public static class Retention {
    public boolean enabled = false;
    /** Name of the ILM / ISM policy. */
    public String policyName = "vigil-retention";
    /** Roll a data stream's write index over once it is this old... */
    public Duration rolloverMaxAge = Duration.ofDays(1);
    /** ...or this big (Elasticsearch size units, e.g. 50gb); empty: age only. */
    public String rolloverMaxSize = "50gb";
    /** Delete an index this long after its rollover (data streams) or creation (dated indices). */
    public Duration deleteAfter = Duration.ofDays(7);
  }

  /** {@code auth}: every key refused at validation; see {@link #auth}. */
  public static class Auth {
    public String authenticator;
    /** Vigil's former spellings, now top-level keys. */
    public String user;
    public String password;
    public String apiKey;
  }

  /** Every base URL, {@code endpoint} first, without trailing slashes. */
  List<String> allEndpoints() {
    List<String> all = new ArrayList<>();
    if (!endpoint.isEmpty()) {
      all.add(endpoint);
    }
    all.addAll(endpoints);
    all.replaceAll(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    return all;
  }
}
