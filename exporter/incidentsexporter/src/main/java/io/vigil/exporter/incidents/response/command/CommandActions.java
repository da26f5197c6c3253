package io.vigil.exporter.incidents.response.command;

import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import io.vigil.exporter.incidents.response.action.PlainTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code command} action: a local program from an allow-list, run without a shell, its
 * arguments templated from incident fields one argument at a time. A value can neither split
 * into more arguments nor be read as a shell construct, and a value that would start an
 * argument with {@code -} (an option the operator did not write) is refused.
 */
public final class CommandActions {

  private final ResponseConfig.Commands config;

  public CommandActions(ResponseConfig.Commands config) {
    this.config = config;
  }

  /** Checks {@code response::commands}. */
  public static void validate(ResponseConfig.Commands c, String at) {
    if (c == null) {
      throw new ConfigException(at, "must be a block with allowed and max_output");
    }
    List<String> allowed = c.allowed == null ? List.of() : c.allowed;
    for (int i = 0; i < allowed.size(); i++) {
      String p = allowed.get(i);
      if (p == null || !Path.of(p).isAbsolute() || PlainTemplate.hasPlaceholder(p)) {
        throw new ConfigException(at + "::allowed::" + i, "expected an absolute path of a"
            + " program, got \"" + p + "\"");
      }
    }
    if (c.maxOutput < 0) {
      throw new ConfigException(at + "::max_output", "must be 0 or more");
    }
  }

  /** Checks a rule's {@code command} action against the allow-list. */
  public static void validate(ResponseConfig.Action a, String at, ResponseConfig.Commands c) {
    if (a.argv == null || a.argv.isEmpty() || a.argv.get(0) == null) {
      throw new ConfigException(at + "::argv", "required: [/absolute/program, arg, ...]");
    }
    String program = a.argv.get(0);
    if (PlainTemplate.hasPlaceholder(program)) {
      throw new ConfigException(at + "::argv::0", "the program cannot be templated");
    }
    List<String> allowed = c == null || c.allowed == null ? List.of() : c.allowed;
    if (!allowed.contains(program)) {
      throw new ConfigException(at + "::argv::0", "\"" + program + "\" is not listed in"
          + " response::commands::allowed " + allowed);
    }
    for (int i = 1; i < a.argv.size(); i++) {
      if (a.argv.get(i) == null) {
        throw new ConfigException(at + "::argv::" + i, "must be a string");
      }
      try {
        PlainTemplate.check(a.argv.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at + "::argv::" + i, e.getMessage());
      }
    }
    ConfigException.requirePositive(a.timeout, at + "::timeout");
  }

  /** The argument list for this incident; throws when a value cannot be passed safely. */
  public static List<String> render(List<String> argv, Map<String, String> values) {
    List<String> out = new ArrayList<>(argv.size());
    out.add(argv.get(0));
    for (int i = 1; i < argv.size(); i++) {
      String template = argv.get(i);
      String arg = PlainTemplate.render(template, values);
      if (arg.indexOf('\0') >= 0) {
        throw new ActionRefusedException("argument " + i + " would hold a NUL character");
      }
      if (arg.startsWith("-") && !template.startsWith("-")) {
        throw new ActionRefusedException("argument " + i + " (" + template + ") would start"
            + " with \"-\" and read as an option: \"" + abbreviate(arg) + "\"");
      }
      out.add(arg);
    }
    return out;
  }

  public ActionCall prepare(ResponseConfig.Action a, Map<String, String> values) {
    return new CommandAction(render(a.argv, values), a.timeout, config.maxOutput);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
