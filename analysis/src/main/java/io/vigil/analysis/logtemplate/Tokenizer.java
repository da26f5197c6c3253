package io.vigil.analysis.logtemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a log message into tokens at white space and masks the tokens that are variables in
 * any system: everything holding a digit (numbers, IDs, IPs, hex, timestamps, versions) and
 * the names of months and week days. One
 * rule set for every source, so no per-system regular expressions are needed.
 */
final class Tokenizer {

  /** Parts of time stamps: variables wherever they appear. */
  private static final Set<String> CALENDAR_WORDS = Set.of(
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
      "January", "February", "March", "April", "June", "July", "August", "September",
      "October", "November", "December",
      "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

  private final int maxTokens;

  Tokenizer(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  String[] tokens(String message) {
    List<String> out = new ArrayList<>(16);
    int n = message.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(message.charAt(i))) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      boolean digit = false;
      while (i < n && !Character.isWhitespace(message.charAt(i))) {
        char c = message.charAt(i);
        digit |= c >= '0' && c <= '9';
        i++;
      }
      if (out.size() == maxTokens - 1) {
        // The tail of an over-long message is one variable, so its length stays bounded.
        out.add(LogTemplate.WILDCARD);
        break;
      }
      String token = message.substring(start, i);
      out.add(digit || CALENDAR_WORDS.contains(token) ? LogTemplate.WILDCARD : token);
    }
    return out.toArray(new String[0]);
  }
}
