package io.vigil.exporter.incidents.response.action;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter with {@code ${name}} placeholders, the names those of the webhook body, each
 * replaced by its value as it is: for a Kubernetes object's name or one command argument,
 * where the value is checked afterwards (a name's syntax) or passed on as one argument without
 * a shell, so there is nothing to escape.
 */
public final class PlainTemplate {

  /** The incident fields a template may name. */
  public static final Set<String> NAMES = Set.of("incident.id", "incident.service",
      "incident.services", "incident.severity", "incident.title", "incident.state",
      "incident.cause", "incident.kinds", "rule.name");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private PlainTemplate() {}

  /** Throws naming the first placeholder that is not a known incident field. */
  public static void check(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "}; known: "
            + String.join(", ", new TreeSet<>(NAMES)));
      }
    }
  }

  public static boolean hasPlaceholder(String template) {
    return PLACEHOLDER.matcher(template).find();
  }

  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
