package io.vigil.processor.redaction.internal;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks every match of a regex (a {@code blocked_values} entry), or one group of it. */
final class RegexMasker implements ValueMasker {

  private final Pattern pattern;
  private final int group;

  RegexMasker(Pattern pattern, int group) {
    this.pattern = pattern;
    this.group = group;
  }

  @Override
  public String mask(String value, UnaryOperator<String> replacement) {
    Matcher m = pattern.matcher(value);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      if (m.start(group) < 0 || m.end(group) == m.start(group)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(value.length());
      }
      out.append(value, last, m.start(group)).append(replacement.apply(m.group(group)));
      last = m.end(group);
    }
    return out == null ? value : out.append(value, last, value.length()).toString();
  }
}
