package io.vigil.exporter.incidents.response;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vigil.exporter.incidents.response.action.PlainTemplate;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook body with {@code ${name}} placeholders. Values are inserted JSON-escaped (without
 * quotes), so an incident title with a quote or a newline cannot break the JSON or inject
 * fields; the template writes the quotes.
 */
public final class BodyTemplate {

  static final Set<String> NAMES = PlainTemplate.NAMES;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

  private BodyTemplate() {}

  /** Throws naming the first placeholder that is not one of {@link #NAMES}. */
  static void check(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown placeholder ${" + m.group(1) + "}; known: "
            + String.join(", ", new java.util.TreeSet<>(NAMES)));
      }
    }
  }

  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.getOrDefault(m.group(1), "");
      m.appendReplacement(out, Matcher.quoteReplacement(
          new String(JsonStringEncoder.getInstance().quoteAsString(v))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
