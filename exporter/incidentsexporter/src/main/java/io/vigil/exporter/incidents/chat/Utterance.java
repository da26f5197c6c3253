package io.vigil.exporter.incidents.chat;

import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat message with its entities found and masked: the incident it names ({@code 12},
 * {@code #12}, {@code inc-12}), the service it names (one of the services Vigil knows), and the
 * text with those replaced by placeholder words, so the classifier learns "ack N" once rather
 * than once per number and service.
 *
 * @param incident {@code inc-N}, or null when none is named
 * @param number a second number after the incident (an action number), or null
 * @param service a known service named in the text, or null
 */
public record Utterance(String text, String masked, String incident, Integer number,
    String service) {

  static final String NUMBER_WORD = "qnumq";
  static final String SERVICE_WORD = "qsvcq";
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\w-])(?:(action)\\s+)?(?:inc-|#)?(\\d{1,9})\\b", Pattern.CASE_INSENSITIVE);

  /** Finds the entities of {@code text}; {@code services} are the names it may mention. */
  public static Utterance of(String text, Collection<String> services) {
    String lower = text.toLowerCase(Locale.ROOT);
    String incident = null;
    Integer number = null;
    Matcher m = NUMBER.matcher(lower);
    StringBuilder masked = new StringBuilder();
    while (m.find()) {
      // "approve action 2 for 9": the number after "action" is the action's, whatever the order.
      if (m.group(1) != null && number == null) {
        number = Integer.parseInt(m.group(2));
        m.appendReplacement(masked, " action " + NUMBER_WORD + " ");
        continue;
      }
      if (incident == null) {
        incident = "inc-" + Long.parseLong(m.group(2));
      } else if (number == null) {
        number = Integer.parseInt(m.group(2));
      }
      m.appendReplacement(masked, " " + NUMBER_WORD + " ");
    }
    m.appendTail(masked);
    String service = null;
    String out = masked.toString();
    // Longest first, so "orders-db" is found before "orders".
    for (String s : services.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
      Pattern p = Pattern.compile("(?<![\\w-])" + Pattern.quote(s.toLowerCase(Locale.ROOT))
          + "(?![\\w-])");
      Matcher sm = p.matcher(out);
      if (sm.find()) {
        if (service == null) {
          service = s;
        }
        out = sm.replaceAll(" " + SERVICE_WORD + " ");
      }
    }
    return new Utterance(text, out.replaceAll("\\s+", " ").strip(), incident, number, service);
  }
}
