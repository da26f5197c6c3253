package io.vigil.processor.attraction;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.vigil.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A regular expression written for the Collector (Go's RE2 syntax), compiled by RE2/J: matching
 * takes time linear in the text whatever the pattern, so a pattern from the config cannot
 * backtrack catastrophically on every record, and what Go's regexp refuses (look-around,
 * back-references) is refused here too, as a config error. Named groups, spelled
 * {@code (?P<name>...)} or {@code (?<name>...)}, are renamed {@code gN} (the second spelling is
 * newer than RE2/J) and keep their real names by position. Matching is unanchored, as Go's
 * {@code MatchString} and {@code FindStringSubmatch} are.
 */
public final class Re2Pattern {
  private final String source;
  private final Pattern pattern;
  private final List<String> groupNames;

  private Re2Pattern(String source, Pattern pattern, List<String> groupNames) {
    this.source = source;
    this.pattern = pattern;
    this.groupNames = groupNames;
  }

  /** Compiles {@code re}; a pattern that does not compile is a config error at {@code keyPath}. */
  public static Re2Pattern compile(String re, String keyPath) {
    List<String> names = new ArrayList<>();
    String java = translate(re, names);
    try {
      return new Re2Pattern(re, Pattern.compile(java), List.copyOf(names));
    } catch (PatternSyntaxException e) {
      throw new ConfigException(keyPath, "invalid regular expression " + quote(re)
          + " (Go/RE2 syntax: no look-around or back-references): " + e.getDescription());
    }
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static String translate(String re, List<String> names) {
    StringBuilder out = new StringBuilder(re.length() + 8);
    boolean inClass = false;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\' && i + 1 < re.length()) {
        out.append(c).append(re.charAt(++i));
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        out.append(c);
        continue;
      }
      if (c == '[') {
        inClass = true;
        out.append(c);
        // A ']' right after '[' or '[^' is a literal, not the end of the class.
        if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
          out.append(re.charAt(++i));
        }
        if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
          out.append(re.charAt(++i));
        }
        continue;
      }
      int nameStart = namedGroupStart(re, i);
      if (nameStart > 0) {
        int end = re.indexOf('>', nameStart);
        if (end > nameStart) {
          names.add(re.substring(nameStart, end));
          out.append("(?P<g").append(names.size()).append('>');
          i = end;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Where the name of a named group opened at {@code i} starts, or -1. */
  private static int namedGroupStart(String re, int i) {
    if (re.startsWith("(?P<", i)) {
      return i + 4;
    }
    if (re.startsWith("(?<", i) && i + 3 < re.length()
        && re.charAt(i + 3) != '=' && re.charAt(i + 3) != '!') {
      return i + 3;
    }
    return -1;
  }

  /** Whether the pattern matches anywhere in {@code s}. */
  public boolean find(String s) {
    return pattern.matcher(s).find();
  }

  /** The names of the named groups, in order. */
  public List<String> groupNames() {
    return groupNames;
  }

  /** Whether every capturing group has a name (what {@code extract} requires). */
  public boolean allGroupsNamed() {
    return pattern.matcher("").groupCount() == groupNames.size();
  }

  /**
   * The named groups' values at the first match, or null when nothing matches; a group that did
   * not take part is the empty string, as in Go.
   */
  public List<String> firstMatchGroups(String s) {
    Matcher m = pattern.matcher(s);
    if (!m.find()) {
      return null;
    }
    List<String> values = new ArrayList<>(groupNames.size());
    for (int g = 1; g <= groupNames.size(); g++) {
      String v = m.group("g" + g);
      values.add(v == null ? "" : v);
    }
    return values;
  }

  /**
   * Go's {@code Regexp.ReplaceAllString}: every match replaced by {@code template}, in which
   * {@code $1}, {@code ${1}}, {@code $name} and {@code ${name}} stand for groups and {@code $$}
   * for a dollar. As in Go, {@code $name} takes the longest run of letters, digits and
   * underscores, and a group that does not exist expands to nothing.
   */
  public String replaceAll(String s, String template) {
    Matcher m = pattern.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    int last = 0;
    do {
      out.append(s, last, m.start());
      expand(m, template, out);
      last = m.end();
    } while (m.find());
    out.append(s, last, s.length());
    return out.toString();
  }

  private void expand(Matcher m, String template, StringBuilder out) {
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 == template.length()) {
        out.append(c);
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i++;
        continue;
      }
      String name;
      int end;
      if (next == '{') {
        end = template.indexOf('}', i + 2);
        if (end < 0) {
          out.append(c);
          continue;
        }
        name = template.substring(i + 2, end);
      } else {
        end = i + 1;
        while (end < template.length() && (Character.isLetterOrDigit(template.charAt(end))
            || template.charAt(end) == '_')) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          continue;
        }
        name = template.substring(i + 1, end);
        end--;
      }
      String value = group(m, name);
      if (value != null) {
        out.append(value);
      }
      i = end;
    }
  }

  private String group(Matcher m, String name) {
    if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
      try {
        int n = Integer.parseInt(name);
        return n <= m.groupCount() ? m.group(n) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    int idx = groupNames.indexOf(name);
    return idx < 0 ? null : m.group("g" + (idx + 1));
  }

  @Override
  public String toString() {
    return source;
  }
}
