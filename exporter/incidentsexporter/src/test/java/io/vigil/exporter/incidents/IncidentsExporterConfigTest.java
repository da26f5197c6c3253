package io.vigil.exporter.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.core.config.GatewayConfig;
import io.vigil.testing.ConfigTestdata;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IncidentsExporterConfigTest {

  @Test
  void goodConfigKeepsDefaultsItDoesNotSet() {
    GatewayConfig c = ConfigTestdata.load("good.yaml");
    var cfg = (IncidentsExporterConfig) c.component(ComponentKind.EXPORTER,
        ComponentId.of("incidents")).config();
    assertThat(cfg.directory).isEqualTo("/var/lib/vigil/incidents");
    assertThat(cfg.groupWindow).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.reopenWindow).isEqualTo(Duration.ofHours(24));
    assertThat(cfg.links).containsOnlyKeys("jaeger", "kibana");
    assertThat(cfg.api.endpoint).isEqualTo("127.0.0.1:18687");
    assertThat(cfg.api.token).isEqualTo("letmein");
    assertThat(cfg.classifier).isEqualTo("none");
    assertThat(cfg.recommender).isEqualTo("none");
    assertThat(cfg.origin.maxSpans).isEqualTo(50_000);
    assertThat(cfg.origin.settle).isEqualTo(Duration.ofMinutes(2));
    assertThat(new IncidentsExporterFactory().listenAddresses(cfg))
        .containsEntry("api::endpoint", "127.0.0.1:18687");
  }

  @Test
  void theOpeningPolicyDefaultsToEvidenceAndLoadsEveryKey() {
    var defaults = (IncidentsExporterConfig) ConfigTestdata.load("good.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(defaults.opening.policy).isEqualTo("evidence");
    assertThat(defaults.opening.minSeverity).isEqualTo("warn");
    assertThat(defaults.opening.minSignals).isEqualTo(3);
    assertThat(defaults.opening.persist).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.opening.hold).isEqualTo(Duration.ZERO);
    assertThat(defaults.anomaliesFile).isEmpty();

    var cfg = (IncidentsExporterConfig) ConfigTestdata.load("good-opening.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(cfg.anomaliesFile).isEqualTo("/var/lib/vigil/incidents/anomalies.jsonl");
    assertThat(cfg.opening.minSeverity).isEqualTo("error");
    assertThat(cfg.opening.strongMetrics).containsExactly("http\\.server\\.request\\.duration",
        "status_code=5");
    assertThat(cfg.opening.minScore).isEqualTo(0.95);
    assertThat(cfg.opening.minSignals).isEqualTo(4);
    assertThat(cfg.opening.persist).isEqualTo(Duration.ofMinutes(1));
    assertThat(cfg.opening.hold).isEqualTo(Duration.ofMinutes(5));
    assertThat(cfg.opening.maxKept).isEqualTo(200);
  }

  @Test
  void anOpenSearchStoreNeedsNoDirectory() {
    var cfg = (IncidentsExporterConfig) ConfigTestdata.load("good-opensearch-store.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(cfg.directory).isEmpty();
    assertThat(cfg.store.type).isEqualTo("opensearch");
    assertThat(cfg.store.endpoints).containsExactly("http://opensearch-0:9200",
        "http://opensearch-1:9200");
    assertThat(cfg.store.index).isEqualTo("vigil-incidents");
    assertThat(cfg.store.timeout).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void responseRulesLoadWithEveryKey() {
    var cfg = (IncidentsExporterConfig) ConfigTestdata.load("good-response.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(cfg.response.dryRun).isTrue();
    assertThat(cfg.response.maxConcurrent).isEqualTo(2);
    assertThat(cfg.response.circuitBreaker.failures).isEqualTo(5);
    assertThat(cfg.response.circuitBreaker.coolDown).isEqualTo(Duration.ofMinutes(10));
    ResponseConfig.Rule r = cfg.response.rules.get(0);
    assertThat(r.name).isEqualTo("page-orders-team");
    assertThat(r.match.kinds).containsExactly("error_surge", "alertmanager");
    assertThat(r.match.severity).isEqualTo("high");
    assertThat(r.action.url).isEqualTo("http://127.0.0.1:9000/hooks/restart");
    assertThat(r.action.body.trim())
        .as("$${...} in YAML is the template's ${...}, not an environment variable")
        .isEqualTo("{\"incident\": \"${incident.id}\", \"service\": \"${incident.service}\"}");
    assertThat(r.onceWithin).isEqualTo(Duration.ofMinutes(30));
    assertThat(r.oncePer).isEqualTo("service");
    assertThat(r.requiresApproval).isTrue();
    assertThat(r.runAs).isEqualTo("restart");
  }

  @Test
  void kubernetesAndCommandActionsLoad() {
    var cfg = (IncidentsExporterConfig) ConfigTestdata.load("good-response-actions.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(cfg.response.commands.allowed).containsExactly("/usr/local/bin/restart-service");
    assertThat(cfg.response.commands.maxOutput).isEqualTo(500);
    ResponseConfig.Action restart = cfg.response.rules.get(0).action;
    assertThat(restart.type).isEqualTo("rollout_restart");
    assertThat(restart.name).isEqualTo("${incident.service}");
    ResponseConfig.Action scale = cfg.response.rules.get(1).action;
    assertThat(scale.kind).isEqualTo("statefulset");
    assertThat(scale.by).isEqualTo(1);
    assertThat(scale.replicas).isNull();
    assertThat(scale.minReplicas).isEqualTo(2);
    assertThat(scale.maxReplicas).isEqualTo(6);
    assertThat(cfg.response.rules.get(2).action.node).isEqualTo("worker-7");
    ResponseConfig.Action command = cfg.response.rules.get(3).action;
    assertThat(command.argv).containsExactly("/usr/local/bin/restart-service",
        "--service=${incident.service}", "${incident.id}");
    assertThat(command.timeout).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void chatLoads() {
    var cfg = (IncidentsExporterConfig) ConfigTestdata.load("good-chat.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(cfg.chat.enabled()).isTrue();
    assertThat(cfg.chat.slackSigningSecret).isEqualTo("8f742231b10e8888abcd99yyyzzz85a5");
    assertThat(cfg.chat.mattermostToken).isEqualTo("mm-token");
    assertThat(cfg.chat.replayWindow).isEqualTo(Duration.ofMinutes(2));
    assertThat(cfg.chat.replyWithin).isEqualTo(Duration.ofSeconds(2));
    assertThat(cfg.chat.notifyUrl).startsWith("https://hooks.slack.com/");
    assertThat(cfg.chat.notifyFormat).isEqualTo("mattermost");
    assertThat(cfg.chat.notifyOn).containsExactly("opened", "resolved", "approval");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-unknown-key.yaml       | exporters::incidents::api::tokne: unknown key",
    "bad-missing-required.yaml  | exporters::incidents::directory: required",
    "bad-wrong-type.yaml        | exporters::incidents::reopen_window: wrong kind of value: expected a duration",
    "bad-link-placeholder.yaml  | exporters::incidents::links::grafana: unknown placeholder {servce}",
    "bad-classifier.yaml        | exporters::incidents::classifier: no CauseClassifier named \"bert\"",
    "bad-metrics-pipeline.yaml  | service::pipelines::metrics::exporters: exporter \"incidents\" does not support metrics",
    "bad-origin-settle.yaml     | exporters::incidents::origin::settle: must be a positive duration",
    "bad-store-type.yaml        | exporters::incidents::store::type: unknown store \"mongodb\" (one of h2, opensearch, elasticsearch)",
    "bad-store-endpoints.yaml   | exporters::incidents::store::endpoints: required with store::type opensearch",
    "bad-store-endpoint-url.yaml | exporters::incidents::store::endpoints::1: \"es-1:9200\" is not an http(s) URL",
    "bad-store-index.yaml       | exporters::incidents::store::index: \"Vigil_Incidents\" is not an index name",
    "bad-response-unknown-key.yaml    | exporters::incidents::response::rules::0::mtach: unknown key",
    "bad-response-action-type.yaml    | exporters::incidents::response::rules::0::action::type: expected webhook, alertmanager, rollout_restart, scale, cordon or command, got \"kubernetes\"",
    "bad-response-url.yaml            | exporters::incidents::response::rules::0::action::url: expected an http:// or https:// URL",
    "bad-response-alertmanager-label.yaml | exporters::incidents::response::rules::0::action::labels::team-name: not a label name",
    "bad-response-placeholder.yaml    | exporters::incidents::response::rules::0::action::body: unknown placeholder ${incident.idd}",
    "bad-response-severity.yaml       | exporters::incidents::response::rules::1::match::severity: expected low, medium, high or critical, got \"urgent\"",
    "bad-response-max-concurrent.yaml | exporters::incidents::response::max_concurrent: must be at least 1",
    "bad-response-command-not-allowed.yaml | exporters::incidents::response::rules::0::action::argv::0: \"/bin/sh\" is not listed in response::commands::allowed [/usr/local/bin/restart-service]",
    "bad-response-scale-bounds.yaml   | exporters::incidents::response::rules::0::action::max_replicas: required",
    "bad-response-kubernetes-name.yaml | exporters::incidents::response::rules::0::action::namespace: namespace \"Shop_Prod\" is not a valid Kubernetes name",
    "bad-chat-no-api.yaml             | exporters::incidents::chat: needs the API: set api::endpoint",
    "bad-chat-replay-window.yaml      | exporters::incidents::chat::replay_window: must be a positive duration",
    "bad-chat-reply-within.yaml       | exporters::incidents::chat::reply_within: must be under 3s (Slack's limit), got PT5S",
    "bad-chat-notify-url.yaml         | exporters::incidents::chat::notify_url: must be \"\" (off) or an http(s) URL, got hooks.slack.com/services/x",
    "bad-response-duplicate-name.yaml | exporters::incidents::response::rules::1::name: \"r\" names another rule too",
    "bad-response-run-as.yaml         | exporters::incidents::response::rules::1::run_as: \"restart\" runs another rule too",
    "bad-chat-notify-format.yaml      | exporters::incidents::chat::notify_format: expected slack or mattermost, got \"teams\"",
    "bad-chat-notify-on.yaml          | exporters::incidents::chat::notify_on::1: expected opened, reopened, escalated, acknowledged, resolved or approval, got \"updated\"",
    "bad-opening-policy.yaml          | exporters::incidents::opening::policy: expected evidence or every, got \"quiet\"",
    "bad-opening-min-severity.yaml    | exporters::incidents::opening::min_severity: expected trace, debug, info, warn, error or fatal, got \"notice\"",
    "bad-opening-strong-metrics.yaml  | exporters::incidents::opening::strong_metrics::1: not a regular expression",
    "bad-opening-strong-metrics-lookahead.yaml | exporters::incidents::opening::strong_metrics::0: not a regular expression (Go/RE2 syntax: no look-around or back-references)",
    "bad-response-match-backreference.yaml | exporters::incidents::response::rules::0::match::text: not a regular expression (Go/RE2 syntax",
    "bad-opening-min-signals.yaml     | exporters::incidents::opening::min_signals: must be at least 1",
    "bad-opening-min-score.yaml       | exporters::incidents::opening::min_score: must be from 0 (off) to 1, got 1.5",
    "bad-api-tls-no-key.yaml          | exporters::incidents::api::tls::key_file: required when tls is set",
  })
  void badConfigNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
