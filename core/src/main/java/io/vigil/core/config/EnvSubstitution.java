package io.vigil.core.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:VAR}}, {@code ${env:VAR:-default}} and the bare {@code ${VAR}} in config
 * values, as the collector does; {@code $$} stands for a literal {@code $}. Expansion happens
 * per value after the YAML is parsed, so a variable can never inject config structure.
 */
public final class EnvSubstitution {

  private static final Pattern REF =
      Pattern.compile("\\$\\$|\\$\\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Function<String, String> env;

  public EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  public static EnvSubstitution fromSystem() {
    return new EnvSubstitution(System::getenv);
  }

  /**
   * Expands every reference in {@code value}.
   *
   * @param keyPath where the value sits, for the error message
   * @throws ConfigException when a variable is unset and has no default
   */
  public String expand(String value, String keyPath) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    if (REF.matcher(value).replaceAll("").contains("${")) {
      throw new ConfigException(
          keyPath,
          "malformed reference in \"" + value + "\"; write ${env:VAR} or ${env:VAR:-default}");
    }
    Matcher m = REF.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        String name = m.group(1);
        String v = env.apply(name);
        if (v == null) {
          if (m.group(2) == null) {
            throw new ConfigException(
                keyPath,
                "environment variable " + name + " is not set and the reference has no default"
                    + " (write ${env:" + name + ":-default} to give one)");
          }
          v = m.group(2);
        }
        replacement = v;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
