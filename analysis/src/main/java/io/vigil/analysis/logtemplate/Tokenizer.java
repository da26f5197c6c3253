package io.vigil.analysis.logtemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a log message into tokens at white space and masks the variable parts of each token,
 * with one rule set for every source (no per-system regular expressions):
 *
 * <ul>
 *   <li>Inside a token, runs of letters and digits (joined by {@code . _ / -}, so {@code 1.16},
 *       {@code blk_-42}, {@code com.example.Foo} and {@code /var/log} are one run) are masked
 *       when they hold a digit, are dotted or slashed names (hosts, classes, paths), are eight or
 *       more hex letters, or are month and week-day names. The punctuation around them stays, so
 *       {@code lock=42,} becomes {@code lock=<*>,}: field names remain constants.
 *   <li>A token left without letters is one variable, {@code <*>}, and a run of such tokens is
 *       one {@code <*>}: a date or a list of numbers has no fixed token count.
 *   <li>A short parenthesised value holding a digit, {@code (1.16 KB)} or {@code (532 B)}, is
 *       one variable: its unit word belongs to the value.
 *   <li>A double-quoted string is one token even when it holds spaces ({@code tag="View Lock"}).
 *   <li>Punctuation that stands alone ({@code ****}, {@code -}) is a constant, except an empty
 *       pair such as {@code ()}, which is an empty value.
 *   <li>A message that would be all variables keeps each token's punctuation outline instead,
 *       so unrelated all-variable messages do not pile into one catch-all {@code <*>} group.
 * </ul>
 */
final class Tokenizer {

  /** Parts of time stamps: variables wherever they appear. */
  private static final String[] CALENDAR_WORDS = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
      "January", "February", "March", "April", "June", "July", "August", "September",
      "October", "November", "December",
      "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};


  /** Tokens a short parenthesised value may span. */
  private static final int SHORT_VALUE_TOKENS = 3;

  private final int maxTokens;
  private final StringBuilder sb = new StringBuilder(64);
  /** The message's characters, reused from message to message. */
  private char[] buf = new char[256];
  private final List<String> out = new ArrayList<>(32);
  /** Start and end of each raw token, for the all-variable fallback. */
  private int[] bounds = new int[64];

  Tokenizer(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  String[] tokens(String text) {
    out.clear();
    int raw = 0;
    boolean constant = false;
    int n = text.length();
    if (buf.length < n) {
      buf = new char[Math.max(n, buf.length * 2)];
    }
    text.getChars(0, n, buf, 0);
    char[] message = buf;
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(message[i])) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      String token = null;
      char first = message[i];
      if ((first == '(' || first == '[')) {
        int end = shortValue(message, i, n, first == '(' ? ')' : ']');
        if (end > 0) {
          i = end;
          token = LogTemplate.WILDCARD;
        }
      }
      boolean word = token == null;
      while (i < n) {
        char c = message[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          i++;
          continue;
        }
        if (c == ' ' || Character.isWhitespace(c)) {
          break;
        }
        word = false;
        if (c == '"') {
          int close = indexOf(message, '"', i + 1, n);
          if (close > 0) {
            i = close;
          }
        }
        i++;
      }
      if (out.size() == maxTokens - 1) {
        // The tail of an over-long message is one variable, so its length stays bounded.
        out.add(LogTemplate.WILDCARD);
        break;
      }
      if (token == null) {
        // Most tokens are plain words: they need no second pass.
        token = word && !hexWord(message, start, i) && !calendarWord(message, start, i)
            ? new String(message, start, i - start) : normalise(message, start, i, false);
      }
      if (raw * 2 + 1 >= bounds.length) {
        bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[raw * 2] = start;
      bounds[raw * 2 + 1] = i;
      raw++;
      if (token == LogTemplate.WILDCARD) {
        if (!out.isEmpty() && out.get(out.size() - 1) == LogTemplate.WILDCARD) {
          continue;
        }
      } else {
        constant = true;
      }
      out.add(token);
    }
    if (!constant && raw > 0 && out.size() < maxTokens) {
      out.clear();
      for (int r = 0; r < raw; r++) {
        out.add(normalise(message, bounds[r * 2], bounds[r * 2 + 1], true));
      }
    }
    return out.toArray(new String[0]);
  }

  /**
   * The end of a parenthesised value that starts at {@code open}, spans two or three tokens and
   * holds a digit ("(1.16 KB)", "(dcr 0x02f0)"), or -1.
   */
  private static int shortValue(char[] m, int open, int n, char closer) {
    int spaces = 0;
    boolean digit = false;
    boolean inSpace = false;
    int limit = Math.min(n, open + 64);
    for (int q = open + 1; q < limit; q++) {
      char c = m[q];
      if (c == closer) {
        return spaces > 0 && digit ? q + 1 : -1;
      }
      if (c == '(' || c == '[') {
        return -1;
      }
      if (Character.isWhitespace(c)) {
        if (!inSpace && ++spaces >= SHORT_VALUE_TOKENS) {
          return -1;
        }
        inSpace = true;
      } else {
        inSpace = false;
        digit |= c >= '0' && c <= '9';
      }
    }
    return -1;
  }

  /** Characters that join letters and digits into one run. */
  private static boolean joiner(char c) {
    return c == '.' || c == '_' || c == '/' || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c > 127 && Character.isLetterOrDigit(c));
  }

  /**
   * The token {@code m[s, e)} with its variable runs masked; {@link LogTemplate#WILDCARD} when
   * no letters are left, unless {@code outline} asks for the masked form regardless.
   */
  private String normalise(char[] m, int s, int e, boolean outline) {
    sb.setLength(0);
    boolean letters = false;
    boolean masked = false;
    int j = s;
    while (j < e) {
      char c = m[j];
      boolean sign = (c == '-' || c == '+') && j + 1 < e && isDigit(m[j + 1])
          && (j == s || !alnum(m[j - 1]));
      if (!alnum(c) && !sign) {
        sb.append(c);
        j++;
        continue;
      }
      int k = sign ? j + 1 : j;
      boolean digit = false;
      boolean named = false;
      while (k < e) {
        char d = m[k];
        if (alnum(d)) {
          digit |= isDigit(d);
          k++;
        } else if (joiner(d) && k > j) {
          // Up to two joiners between alphanumerics stay inside the run (blk_-42, a.b).
          int r = k;
          while (r < e && joiner(m[r])) {
            r++;
          }
          if (r >= e || !alnum(m[r]) || r - k > 2) {
            break;
          }
          for (int q = k; q < r; q++) {
            named |= m[q] == '.' || m[q] == '/';
          }
          k = r;
        } else {
          break;
        }
      }
      if (digit || named || hexWord(m, j, k) || calendarWord(m, j, k)) {
        sb.append(LogTemplate.WILDCARD);
        masked = true;
      } else {
        sb.append(m, j, k - j);
        letters = true;
      }
      j = k;
    }
    if (!letters && !outline && (masked || emptyPair(m, s, e))) {
      return LogTemplate.WILDCARD;
    }
    if (outline && sb.length() == 3 && masked) {
      return LogTemplate.WILDCARD;
    }
    return masked ? sb.toString() : new String(m, s, e - s);
  }

  private static boolean calendarWord(char[] m, int j, int k) {
    int len = k - j;
    if (len < 3 || len > 9) {
      return false;
    }
    switch (m[j]) {
      case 'J', 'F', 'M', 'A', 'S', 'O', 'N', 'D', 'T', 'W' -> { }
      default -> {
        return false;
      }
    }
    for (String w : CALENDAR_WORDS) {
      if (w.length() == len && regionIs(m, j, w)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionIs(char[] m, int j, String w) {
    for (int q = 0; q < w.length(); q++) {
      if (m[j + q] != w.charAt(q)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(char[] m, char c, int from, int n) {
    for (int q = from; q < n; q++) {
      if (m[q] == c) {
        return q;
      }
    }
    return -1;
  }

  private static boolean hex(char c) {
    return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Eight or more hex letters: an address or hash that happens to hold no decimal digit. */
  private static boolean hexWord(char[] m, int j, int k) {
    if (k - j < 8 || !hex(m[j]) || !hex(m[k - 1])) {
      return false;
    }
    for (int q = j; q < k; q++) {
      char c = m[q];
      if (!hex(c)) {
        return false;
      }
    }
    return true;
  }

  /** "()", "[]", "{}", a pair of quotes, maybe with a comma: a value that happens to be empty. */
  private static boolean emptyPair(char[] m, int s, int e) {
    int n = e - s;
    if (n > 0 && (m[e - 1] == ',' || m[e - 1] == ';')) {
      n--;
    }
    if (n != 2) {
      return false;
    }
    char a = m[s];
    char b = m[s + 1];
    return (a == '(' && b == ')') || (a == '[' && b == ']') || (a == '{' && b == '}')
        || (a == '"' && b == '"') || (a == '\'' && b == '\'') || (a == '<' && b == '>');
  }
}
