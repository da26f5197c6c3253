package io.vigil.processor.ottl.internal;

import com.google.re2j.Pattern;

/**
 * The glob patterns of {@code replace_match} (the Collector uses gobwas/glob): {@code *} any run
 * of characters, {@code ?} one, {@code [abc]} and {@code [!abc]} classes, {@code {a,b}}
 * alternatives, a backslash escapes. The whole value must match. Compiled by RE2/J, so a glob
 * of many stars costs time linear in the value, not the backtracking of java.util.regex.
 */
final class Glob {
  private Glob() {}

  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder("^");
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            re.append("\\[");
          } else {
            String body = glob.substring(i + 1, end);
            if (body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            re.append('[').append(body.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            re.append(')');
          } else {
            re.append("\\}");
          }
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          } else {
            re.append("\\\\");
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    while (braces-- > 0) {
      re.append(')');
    }
    return Pattern.compile(re.append('$').toString(), Pattern.DOTALL);
  }
}
