package io.vigil.exporter.incidents.chat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command as {@code /vigil help} lists it, with its arguments.
 *
 * @param incident {@code inc-N} for the commands about one incident, else null
 * @param number the action number of {@code approve}, else null
 * @param service the service of {@code status}, else null
 * @param note the note of {@code ack} and {@code resolve}, else null
 * @param action the response rule's {@code run_as} word of {@code run}, else null
 * @param dryRun {@code run ... --dry-run}
 */
record Command(Intent intent, String incident, Integer number, String service, String note,
    String action, boolean dryRun) {

  Command(Intent intent, String incident, Integer number, String service, String note) {
    this(intent, incident, number, service, note, null, false);
  }

  /** What parsing a message as an exact command gave. */
  sealed interface Parse permits Exact, Usage, NotACommand {}

  /** The message is this command. */
  record Exact(Command command) implements Parse {}

  /** The message starts with a command word but its arguments are wrong: how to write it. */
  record Usage(String message) implements Parse {}

  /** The message is free text. */
  record NotACommand() implements Parse {}

  private static final String ID = "(?:inc-|#)?(\\d{1,9})";
  private static final Pattern ONE = Pattern.compile(ID + "(?:\\s+(.*))?",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern APPROVE = Pattern.compile(ID + "\\s+#?(\\d{1,9})",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SERVICE = Pattern.compile("[\\w.-]{1,200}");
  /** {@code run <action> <service> [incident] [--dry-run]}. */
  private static final Pattern RUN = Pattern.compile("([a-z0-9][a-z0-9_-]{0,39})\\s+([\\w.-]{1,200})"
      + "(?:\\s+" + ID + ")?(\\s+--dry-run)?", Pattern.CASE_INSENSITIVE);

  /**
   * The slash command typed out: Slack and Mattermost send only what follows it, but in the
   * console's chat panel people type the whole {@code /vigil show 7} as they would in Slack.
   */
  private static final Pattern SLASH = Pattern.compile("^/vigil(?:\\s+|$)",
      Pattern.CASE_INSENSITIVE);

  static Parse parse(String text) {
    String t = SLASH.matcher(text.strip()).replaceFirst("");
    if (t.isEmpty() || t.equals("?")) {
      return new Exact(of(Intent.HELP));
    }
    int space = t.indexOf(' ');
    String word = (space < 0 ? t : t.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : t.substring(space + 1).strip();
    return switch (word) {
      case "help" -> rest.isEmpty() ? new Exact(of(Intent.HELP)) : new NotACommand();
      case "incidents", "list" -> rest.isEmpty() ? new Exact(of(Intent.LIST)) : new NotACommand();
      case "show" -> one(Intent.SHOW, rest, false, "show 12");
      case "ack", "acknowledge" -> one(Intent.ACK, rest, false, "ack 12 [note]");
      case "resolve" -> one(Intent.RESOLVE, rest, true, "resolve 12 <what fixed it>");
      case "similar" -> one(Intent.SIMILAR, rest, false, "similar 12");
      case "why" -> one(Intent.WHY, rest, false, "why 12");
      case "status" -> rest.isEmpty()
          ? new Usage("write `/vigil status <service>`, e.g. `/vigil status orders`")
          : SERVICE.matcher(rest).matches()
              ? new Exact(new Command(Intent.STATUS, null, null, rest, null))
              : new NotACommand();
      case "approve" -> approve(rest);
      case "run" -> run(rest);
      default -> new NotACommand();
    };
  }

  private static Command of(Intent i) {
    return new Command(i, null, null, null, null);
  }

  private static Parse one(Intent intent, String rest, boolean noteRequired, String usage) {
    Matcher m = ONE.matcher(rest);
    if (!m.matches()) {
      // "show the orders one", "ack it": free text, for the intent matcher to read.
      return new NotACommand();
    }
    String note = m.group(2) == null || m.group(2).isBlank() ? null : m.group(2).strip();
    boolean takesNote = intent == Intent.ACK || intent == Intent.RESOLVE;
    if (note != null && !takesNote) {
      return new NotACommand();
    }
    if (noteRequired && note == null) {
      return new Usage("write `/vigil " + usage + "`: a resolution needs a note");
    }
    return new Exact(new Command(intent, id(m.group(1)), null, null, note));
  }

  private static Parse approve(String rest) {
    Matcher m = APPROVE.matcher(rest);
    if (!m.matches()) {
      return ONE.matcher(rest).matches()
          ? new Usage("write `/vigil approve 12 1`: the incident and the number of the action"
              + " that awaits approval (`/vigil why 12` lists them)")
          : new NotACommand();
    }
    return new Exact(new Command(Intent.APPROVE, id(m.group(1)),
        Integer.parseInt(m.group(2)), null, null));
  }

  private static Parse run(String rest) {
    Matcher m = RUN.matcher(rest);
    if (!m.matches()) {
      // "run the restart on orders": free text, read by the model (and never run from it).
      return rest.isEmpty() || rest.split("\\s+").length < 2
          ? new Usage("write `/vigil run <action> <service> [--dry-run]`, e.g. `/vigil run"
              + " restart orders --dry-run`")
          : new NotACommand();
    }
    return new Exact(new Command(Intent.RUN, m.group(3) == null ? null : id(m.group(3)), null,
        m.group(2), null, m.group(1).toLowerCase(Locale.ROOT), m.group(4) != null));
  }

  static String id(String digits) {
    return "inc-" + Long.parseLong(digits);
  }

  /** The command as a person types it, for "did you mean" and "read as". */
  String typed() {
    String n = incident == null ? "" : " " + incident.substring("inc-".length());
    return "/vigil " + switch (intent) {
      case LIST -> "incidents";
      case HELP, UNKNOWN -> "help";
      case STATUS -> "status " + service;
      case APPROVE -> "approve" + n + " " + (number == null ? "<action>" : number);
      case RESOLVE -> "resolve" + n + " " + (note == null ? "<what fixed it>" : note);
      case ACK -> "ack" + n + (note == null ? "" : " " + note);
      case RUN -> "run " + (action == null ? "<action>" : action) + " "
          + (service == null ? "<service>" : service) + n + (dryRun ? " --dry-run" : "");
      default -> intent.label() + n;
    };
  }
}
