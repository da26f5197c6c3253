package io.vigil.exporter.incidents.response;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.config.tls.JdkHttpClients;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.Severity;
import io.vigil.exporter.incidents.response.command.CommandActions;
import io.vigil.exporter.incidents.response.kubernetes.KubernetesActions;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validates the {@code response} block, naming the key path of what is wrong. */
public final class ResponseRules {

  private static final Pattern RUN_WORD = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

  private ResponseRules() {}

  public static void validate(ResponseConfig c) {
    if (c == null) {
      throw new ConfigException("response", "must be a block with rules");
    }
    if (c.maxConcurrent < 1) {
      throw new ConfigException("response::max_concurrent", "must be at least 1");
    }
    if (c.circuitBreaker == null) {
      throw new ConfigException("response::circuit_breaker", "must be a block");
    }
    if (c.circuitBreaker.failures < 1) {
      throw new ConfigException("response::circuit_breaker::failures", "must be at least 1");
    }
    ConfigException.requirePositive(c.circuitBreaker.coolDown,
        "response::circuit_breaker::cool_down");
    JdkHttpClients.validate(c.tls, "response::tls", "the action's url");
    KubernetesActions.validate(c.kubernetes, "response::kubernetes");
    CommandActions.validate(c.commands, "response::commands");
    List<ResponseConfig.Rule> rules = c.rules == null ? List.of() : c.rules;
    Set<String> names = new HashSet<>();
    Set<String> runWords = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String at = "response::rules::" + i;
      ResponseConfig.Rule r = rules.get(i);
      if (r == null) {
        throw new ConfigException(at, "must be a rule with name, match and action");
      }
      if (r.name == null || r.name.isBlank()) {
        throw new ConfigException(at + "::name", "required");
      }
      if (!names.add(r.name)) {
        throw new ConfigException(at + "::name", "\"" + r.name + "\" names another rule too");
      }
      ConfigException.requirePositive(r.onceWithin, at + "::once_within");
      if (!"incident".equals(r.oncePer) && !"service".equals(r.oncePer)) {
        throw new ConfigException(at + "::once_per", "expected incident or service, got \""
            + r.oncePer + "\"");
      }
      if (r.runAs == null || !r.runAs.isEmpty() && !RUN_WORD.matcher(r.runAs).matches()) {
        throw new ConfigException(at + "::run_as", "expected \"\" or one lower-case word"
            + " (letters, digits, - or _), got \"" + r.runAs + "\"");
      }
      if (!r.runAs.isEmpty() && !runWords.add(r.runAs)) {
        throw new ConfigException(at + "::run_as", "\"" + r.runAs + "\" runs another rule too");
      }
      match(r.match, at + "::match");
      action(r.action, at + "::action", c);
    }
  }

  private static void match(ResponseConfig.Match m, String at) {
    if (m == null) {
      throw new ConfigException(at, "must be a block (an empty one matches every incident)");
    }
    if (m.severity != null && !m.severity.isEmpty()) {
      try {
        Severity.of(m.severity);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at + "::severity", "expected low, medium, high or critical,"
            + " got \"" + m.severity + "\"");
      }
    }
    if (m.text != null && !m.text.isEmpty()) {
      try {
        Pattern.compile(m.text);
      } catch (PatternSyntaxException e) {
        throw new ConfigException(at + "::text", "not a regular expression (Go/RE2 syntax: no"
            + " look-around or back-references): " + e.getDescription());
      }
    }
  }

  private static void action(ResponseConfig.Action a, String at, ResponseConfig c) {
    if (a == null) {
      throw new ConfigException(at, "required: {type: webhook, url: ...}");
    }
    if (KubernetesActions.TYPES.contains(a.type)) {
      KubernetesActions.validate(a, at);
      return;
    }
    if ("command".equals(a.type)) {
      CommandActions.validate(a, at, c.commands);
      return;
    }
    boolean alertmanager = "alertmanager".equals(a.type);
    if (!"webhook".equals(a.type) && !alertmanager) {
      throw new ConfigException(at + "::type", "expected webhook, alertmanager, rollout_restart,"
          + " scale, cordon or command, got \"" + a.type + "\"");
    }
    URI u;
    try {
      u = URI.create(a.url == null ? "" : a.url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at + "::url", "expected an http:// or https:// URL, got \""
          + a.url + "\": " + e.getMessage());
    }
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
        || u.getHost() == null) {
      throw new ConfigException(at + "::url", "expected an http:// or https:// URL, got \""
          + a.url + "\"");
    }
    ConfigException.requirePositive(a.timeout, at + "::timeout");
    if (alertmanager) {
      AlertmanagerAlert.validate(a, at);
      return;
    }
    if (a.method == null || !Set.of("POST", "PUT", "PATCH", "GET", "DELETE").contains(a.method)) {
      throw new ConfigException(at + "::method", "expected POST, PUT, PATCH, GET or DELETE");
    }
    ConfigException.requirePositive(a.timeout, at + "::timeout");
    try {
      BodyTemplate.check(a.body == null ? "" : a.body);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at + "::body", e.getMessage());
    }
  }
}
