package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.connector.spanmetrics.SpanMetricNames;
import io.vigil.connector.spanmetrics.SpanMetricsConfig;
import io.vigil.exporter.prometheustranslator.PrometheusNames;
import io.vigil.exporter.prometheustranslator.PrometheusNames.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The provisioned Grafana dashboards ask only for what the gateway produces: every metric name
 * and label in a PromQL query is derived here from the spanmetrics connector's names and the
 * prometheus exporter's naming rules, and every log field is one of the ECS fields the logs
 * carry.
 */
class GrafanaProvisioningTest {

  private static final Path GRAFANA = Path.of("..", "..", "deploy", "grafana");

  /** Every field the elasticsearch exporter maps in its ECS mode (its index template). */
  static final Set<String> LOG_FIELDS = ecsMappedFields();

  private static Set<String> ecsMappedFields() {
    try (var in = GrafanaProvisioningTest.class.getResourceAsStream(
        "/io/vigil/exporter/elasticsearch/ecs-mappings.json")) {
      Set<String> out = new HashSet<>();
      flatten("", new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)
          .path("properties"), out);
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void flatten(String prefix, JsonNode properties, Set<String> out) {
    properties.fields().forEachRemaining(f -> {
      String path = prefix + f.getKey();
      if (f.getValue().has("properties")) {
        flatten(path + ".", f.getValue().get("properties"), out);
      } else {
        out.add(path);
      }
    });
  }

  /**
   * JVM metrics as the OpenTelemetry Java agent 2.x sends them (semantic conventions): OTLP
   * name, unit, Prometheus type, and attribute keys.
   */
  private record AgentMetric(String name, String unit, Type type, List<String> attributes) {}

  private static final List<AgentMetric> JVM_METRICS = List.of(
      new AgentMetric("jvm.memory.used", "By", Type.GAUGE,
          List.of("jvm.memory.type", "jvm.memory.pool.name")),
      new AgentMetric("jvm.memory.committed", "By", Type.GAUGE,
          List.of("jvm.memory.type", "jvm.memory.pool.name")),
      new AgentMetric("jvm.gc.duration", "s", Type.HISTOGRAM,
          List.of("jvm.gc.name", "jvm.gc.action")),
      new AgentMetric("jvm.thread.count", "{thread}", Type.GAUGE,
          List.of("jvm.thread.daemon", "jvm.thread.state")),
      new AgentMetric("jvm.cpu.recent_utilization", "1", Type.GAUGE, List.of()),
      new AgentMetric("jvm.class.loaded", "{class}", Type.COUNTER, List.of()));

  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern LUCENE_FIELD = Pattern.compile("([a-zA-Z@][a-zA-Z0-9_.]*):");

  /** Series names the gateway exposes, from the components' own naming. */
  private static Set<String> producedSeries() {
    Set<String> out = new HashSet<>();
    SpanMetricsConfig defaults = new SpanMetricsConfig();
    String calls = PrometheusNames.familyName("",
        SpanMetricNames.name(defaults.namespace, SpanMetricNames.CALLS), "", Type.COUNTER, true);
    out.add(PrometheusNames.seriesName(calls, Type.COUNTER));
    String duration = PrometheusNames.familyName("",
        SpanMetricNames.name(defaults.namespace, SpanMetricNames.DURATION),
        defaults.histogram.unit, Type.HISTOGRAM, true);
    addHistogram(out, duration);
    for (AgentMetric m : JVM_METRICS) {
      String family = PrometheusNames.familyName("", m.name(), m.unit(), m.type(), true);
      if (m.type() == Type.HISTOGRAM) {
        addHistogram(out, family);
      } else {
        out.add(PrometheusNames.seriesName(family, m.type()));
      }
    }
    return out;
  }

  private static void addHistogram(Set<String> out, String family) {
    out.add(family + "_bucket");
    out.add(family + "_sum");
    out.add(family + "_count");
  }

  /** Labels the gateway puts on series: job/instance, le, and the sanitised attributes. */
  private static Set<String> producedLabels() {
    Set<String> out = new HashSet<>(Set.of("job", "instance", "le", "otel_scope_name"));
    for (String a : List.of(SpanMetricNames.SERVICE_NAME, SpanMetricNames.SPAN_NAME,
        SpanMetricNames.SPAN_KIND, SpanMetricNames.STATUS_CODE)) {
      out.add(PrometheusNames.label(a));
    }
    JVM_METRICS.forEach(m -> m.attributes().forEach(a -> out.add(PrometheusNames.label(a))));
    return out;
  }

  private static List<JsonNode> dashboards() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var files = Files.list(GRAFANA.resolve("dashboards"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        out.add(new ObjectMapper().readTree(p.toFile()));
      }
    }
    assertThat(out).as("dashboards in " + GRAFANA.resolve("dashboards")).isNotEmpty();
    return out;
  }

  /** Every panel's targets, nested rows included, plus the template variables' queries. */
  private static List<JsonNode> targets(JsonNode dashboard, String datasourceType) {
    List<JsonNode> out = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      panels.get(i).path("panels").forEach(panels::add);
      JsonNode panel = panels.get(i);
      panel.path("targets").forEach(t -> {
        String type = t.path("datasource").path("type").asText(
            panel.path("datasource").path("type").asText());
        if (type.equals(datasourceType)) {
          out.add(t);
        }
      });
    }
    return out;
  }

  private static List<String> promQueries() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode d : dashboards()) {
      targets(d, "prometheus").forEach(t -> out.add(t.path("expr").asText()));
      d.path("templating").path("list").forEach(v -> {
        if (v.path("datasource").path("type").asText().equals("prometheus")) {
          out.add(v.path("query").path("query").asText());
        }
      });
    }
    return out;
  }

  @Test
  void everyMetricAndLabelADashboardQueriesIsProducedByTheGateway() throws IOException {
    Set<String> series = producedSeries();
    Set<String> labels = producedLabels();
    Set<String> usedMetrics = new TreeSet<>();
    Set<String> usedLabels = new TreeSet<>();
    List<String> queries = promQueries();
    assertThat(queries).isNotEmpty();
    for (String q : queries) {
      Matcher s = SELECTOR.matcher(q);
      while (s.find()) {
        usedMetrics.add(s.group(1));
        Matcher l = MATCHER_LABEL.matcher(s.group(2));
        while (l.find()) {
          usedLabels.add(l.group(1));
        }
      }
      Matcher g = GROUPING.matcher(q);
      while (g.find()) {
        for (String l : g.group(1).split(",")) {
          usedLabels.add(l.trim());
        }
      }
      Matcher lv = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*(\\w+)\\)")
          .matcher(q);
      while (lv.find()) {
        usedMetrics.add(lv.group(1));
        usedLabels.add(lv.group(2));
      }
    }
    assertThat(usedMetrics).as("metrics the dashboards query").isNotEmpty()
        .contains("traces_span_metrics_calls_total",
            "traces_span_metrics_duration_milliseconds_bucket", "jvm_memory_used_bytes");
    assertThat(series).as("series the gateway produces").containsAll(usedMetrics);
    assertThat(labels).as("labels the gateway produces").containsAll(usedLabels);
  }

  @Test
  void everyLogFieldTheDashboardsAndDataSourcesUseIsAnEcsLogField() throws IOException {
    Set<String> used = new TreeSet<>();
    for (JsonNode d : dashboards()) {
      for (JsonNode t : targets(d, "elasticsearch")) {
        Matcher m = LUCENE_FIELD.matcher(t.path("query").asText());
        while (m.find()) {
          used.add(m.group(1));
        }
        if (t.has("timeField")) {
          used.add(t.get("timeField").asText());
        }
      }
    }
    JsonNode sources = new YAMLMapper().readTree(
        GRAFANA.resolve("provisioning/datasources/vigil.yaml").toFile()).path("datasources");
    for (JsonNode ds : sources) {
      JsonNode j = ds.path("jsonData");
      for (String key : List.of("timeField", "logMessageField", "logLevelField")) {
        if (j.has(key)) {
          used.add(j.get(key).asText());
        }
      }
      j.path("dataLinks").forEach(l -> used.add(l.path("field").asText()));
      Matcher m = LUCENE_FIELD.matcher(j.path("tracesToLogsV2").path("query").asText());
      while (m.find()) {
        used.add(m.group(1));
      }
    }
    assertThat(used).contains("service.name", "trace.id", "log.level", "message");
    assertThat(LOG_FIELDS).containsAll(used);
  }

  @Test
  void dataSourcesLinkExemplarsAndLogsToJaeger() throws IOException {
    JsonNode sources = new YAMLMapper().readTree(
        GRAFANA.resolve("provisioning/datasources/vigil.yaml").toFile()).path("datasources");
    Set<String> uids = new HashSet<>();
    sources.forEach(ds -> uids.add(ds.path("uid").asText()));
    for (JsonNode ds : sources) {
      JsonNode j = ds.path("jsonData");
      // The exporter writes exemplars with the label trace_id (see TraceExemplar).
      j.path("exemplarTraceIdDestinations").forEach(e -> {
        assertThat(e.path("name").asText()).isEqualTo("trace_id");
        assertThat(uids).contains(e.path("datasourceUid").asText());
      });
      j.path("dataLinks").forEach(l -> assertThat(l.path("datasourceUid").asText()).isEqualTo("jaeger"));
      if (j.has("tracesToLogsV2")) {
        assertThat(uids).contains(j.path("tracesToLogsV2").path("datasourceUid").asText());
      }
    }
    JsonNode prometheus = sources.get(0);
    assertThat(prometheus.path("jsonData").path("exemplarTraceIdDestinations")).isNotEmpty();
  }

  @Test
  void panelsLinkToTheLogsOfTheServiceAndTimeRange() throws IOException {
    for (JsonNode d : dashboards()) {
      d.path("panels").forEach(p -> {
        if (!p.path("type").asText().equals("row")) {
          assertThat(p.path("links").toString()).as(p.path("title").asText())
              .contains("elasticsearch").contains("service.name").contains("${__from}");
        }
      });
    }
  }
}
