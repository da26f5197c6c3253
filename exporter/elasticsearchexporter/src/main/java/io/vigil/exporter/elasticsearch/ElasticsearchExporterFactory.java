package io.vigil.exporter.elasticsearch;

import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Exporter;
import io.vigil.core.component.ExporterFactory;
import io.vigil.core.config.ConfigException;
import java.io.File;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Type {@code elasticsearch}: logs and spans into Elasticsearch or OpenSearch via _bulk. */
public final class ElasticsearchExporterFactory
    implements ExporterFactory<ElasticsearchExporterConfig> {

  /** Elasticsearch's own rules for index names, minus upper case which we never produce. */
  private static final Pattern INDEX_PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Pattern SIZE = Pattern.compile("[0-9]+(b|kb|mb|gb|tb|pb)");

  @Override
  public String type() {
    return "elasticsearch";
  }

  @Override
  public ElasticsearchExporterConfig createDefaultConfig() {
    return new ElasticsearchExporterConfig();
  }

  @Override
  public void validate(ElasticsearchExporterConfig c) {
    List<String> urls = c.allEndpoints();
    if (urls.isEmpty()) {
      throw new ConfigException("endpoints", "required: the base URL of at least one node,"
          + " e.g. [https://elasticsearch:9200] (or set endpoint)");
    }
    for (int i = 0; i < c.endpoints.size(); i++) {
      checkUrl("endpoints::" + i, c.endpoints.get(i));
    }
    if (!c.endpoint.isEmpty()) {
      checkUrl("endpoint", c.endpoint);
    }
    if (!c.mapping.mode.equals("ecs") && !c.mapping.mode.equals("otel")) {
      throw new ConfigException("mapping::mode",
          "unsupported value \"" + c.mapping.mode + "\"; use ecs or otel");
    }
    checkIndexPrefix("logs_index", c.logsIndex);
    checkIndexPrefix("traces_index", c.tracesIndex);
    try {
      DateTimeFormatter.ofPattern(c.indexDateFormat);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("index_date_format",
          "not a date pattern: \"" + c.indexDateFormat + "\" (" + e.getMessage() + ")");
    }
    checkDataStreamPart("data_stream::dataset", c.dataStream.dataset);
    checkDataStreamPart("data_stream::namespace", c.dataStream.namespace);
    if (c.templatePriority < 0) {
      throw new ConfigException("template_priority", "must not be negative");
    }
    validateRetention(c);
    validateAuth(c);
    validateTls(c);
    if (!c.compression.equals("gzip") && !c.compression.equals("none")
        && !c.compression.isEmpty()) {
      throw new ConfigException("compression",
          "unsupported value \"" + c.compression + "\"; use gzip or none");
    }
    c.validateSending();
  }

  private static void validateRetention(ElasticsearchExporterConfig c) {
    ElasticsearchExporterConfig.Retention r = c.retention;
    if (!r.enabled) {
      return;
    }
    if (!c.installTemplates) {
      throw new ConfigException("retention::enabled", "needs install_templates: true, because"
          + " the policy reaches the indices through the installed index templates");
    }
    if (c.logsIndex.isEmpty() != c.tracesIndex.isEmpty()) {
      throw new ConfigException("retention::enabled", "one policy serves logs and traces, so"
          + " logs_index and traces_index must both be set (dated indices) or both be empty"
          + " (data streams)");
    }
    if (!INDEX_PREFIX.matcher(r.policyName).matches()) {
      throw new ConfigException("retention::policy_name",
          "\"" + r.policyName + "\" is not a valid policy name (lower case, digits, . _ -)");
    }
    if (r.rolloverMaxAge == null || r.rolloverMaxAge.isZero() || r.rolloverMaxAge.isNegative()) {
      throw new ConfigException("retention::rollover_max_age", "must be a positive duration");
    }
    if (!r.rolloverMaxSize.isEmpty() && !SIZE.matcher(r.rolloverMaxSize).matches()) {
      throw new ConfigException("retention::rollover_max_size",
          "\"" + r.rolloverMaxSize + "\" is not a size like 50gb or 500mb");
    }
    if (r.deleteAfter == null || r.deleteAfter.isZero() || r.deleteAfter.isNegative()) {
      throw new ConfigException("retention::delete_after", "must be a positive duration");
    }
  }

  private static void validateAuth(ElasticsearchExporterConfig a) {
    ElasticsearchExporterConfig.Auth old = a.auth;
    if (old.authenticator != null) {
      throw new ConfigException("auth::authenticator", "auth extensions are not supported by"
          + " Vigil; set user and password, or api_key, on the exporter itself");
    }
    for (String[] moved : new String[][] {
        {"user", old.user}, {"password", old.password}, {"api_key", old.apiKey}}) {
      if (moved[1] != null) {
        throw new ConfigException("auth::" + moved[0], "moved: write " + moved[0] + " directly"
            + " under the exporter, as the Collector's elasticsearch exporter spells it");
      }
    }
    if (!a.apiKey.isEmpty() && (!a.user.isEmpty() || !a.password.isEmpty())) {
      throw new ConfigException("api_key",
          "set either api_key or user and password, not both");
    }
    if (a.user.isEmpty() != a.password.isEmpty()) {
      throw new ConfigException(a.user.isEmpty() ? "user" : "password",
          "user and password go together; one of them is empty");
    }
    if (a.apiKey.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException("api_key",
          "contains white space; give the encoded key (base64 of id:api_key) as one token");
    }
  }

  private static void validateTls(ElasticsearchExporterConfig c) {
    JdkHttpClients.validate(c.tls, "tls", "the endpoint URL");
  }

  private static void checkUrl(String key, String url) {
    try {
      URI u = URI.create(url);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new ConfigException(key, "expected an http:// or https:// URL, got \"" + url + "\"");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "not a valid URL: \"" + url + "\"");
    }
  }

  private static void checkIndexPrefix(String key, String prefix) {
    if (!prefix.isEmpty() && !INDEX_PREFIX.matcher(prefix).matches()) {
      throw new ConfigException(key, "\"" + prefix + "\" is not a valid index name prefix"
          + " (lower case letters, digits, . _ -; not starting with . _ -)");
    }
  }

  private static void checkDataStreamPart(String key, String value) {
    if (value.isEmpty() || !IndexNames.sanitize(value).equals(value)) {
      throw new ConfigException(key, "\"" + value + "\" is not usable in a data stream name"
          + " (lower case, no - or any of \\/*?\"<>| ,#:, at most 100 characters)");
    }
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.LOGS, Signal.TRACES);
  }

  @Override
  public Exporter create(
      ComponentSettings settings, ElasticsearchExporterConfig config, Set<Signal<?>> signals) {
    return new ElasticsearchExporter(settings, config, signals);
  }
}
