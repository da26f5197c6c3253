package io.vigil.exporter.incidents.chat;

import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentQuery;
import io.vigil.exporter.incidents.Recommendation;
import io.vigil.exporter.incidents.TimelineEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Answers a chat message. An exact command ({@code ack 12}) runs. Free text is read by the
 * intent model with its incident and service entities: a reading that only looks something up
 * is answered, saying how it was read; a reading that would change something (ack, resolve,
 * approve) is never run, only offered back as the exact command to send; and a reading the model
 * is unsure of, or that lacks the incident it needs, is asked back.
 */
public final class ChatResponder {

  /** Below this share of the neighbours' weight the model's reading is asked back. */
  static final double CONFIDENT = 0.4;
  /**
   * The share a message needs when it names no incident or service and has none of the words
   * commands use ("who is on call this weekend", "sounds good"): chatter finds neighbours through
   * its small words alone, at shares up to 0.59 on the older held-out parts, while the help and
   * list questions without a command word ("what can I say", "everything ok?") read at 0.65 and
   * more.
   */
  static final double CONFIDENT_WITHOUT_COMMAND_WORD = 0.6;
  private static final int LIST_MAX = 10;

  /** The answer: its text (Slack/Mattermost markdown) and whether the channel sees it. */
  public record Reply(String text, boolean inChannel, Intent intent, boolean ran) {}

  /**
   * How a message was read: the intent acted on ({@code UNKNOWN} when asked back), its entities,
   * whether it was an exact command, and the model's confidence (1 for an exact command).
   */
  public record Reading(Intent intent, String incident, Integer number, String service,
      boolean exact, double confidence) {}

  /** Reads a message as {@link #answer} does, without acting on it. */
  public static Reading read(String text, IntentModel model, Collection<String> services) {
    Command.Parse p = Command.parse(text);
    if (p instanceof Command.Exact e) {
      Command c = e.command();
      return new Reading(c.intent(), c.incident(), c.number(), c.service(), true, 1);
    }
    if (p instanceof Command.Usage) {
      return new Reading(Intent.UNKNOWN, null, null, null, true, 1);
    }
    return readFreeText(text, model, services, CONFIDENT);
  }

  /**
   * Reads free text: a command with a mistyped word, else the model, asked back below
   * {@code confident}.
   */
  static Reading readFreeText(String text, IntentModel model, Collection<String> services,
      double confident) {
    Optional<Command> typo = CommandTypos.read(text);
    if (typo.isPresent()) {
      Command c = typo.get();
      return new Reading(c.intent(), c.incident(), c.number(), c.service(), false, 1);
    }
    Utterance u = Utterance.of(text, services);
    return readModel(u, model, confident).reading();
  }

  /** The model's reading of free text, and the intent it leaned to when it asks back. */
  private record ModelReading(Reading reading, Intent guess) {}

  private static ModelReading readModel(Utterance u, IntentModel model, double confident) {
    IntentModel.Prediction p = model.classify(u);
    Map<Intent, Double> shares = EntityFit.regroup(p.shares(), u);
    Intent best = EntityFit.best(shares);
    double confidence = shares.getOrDefault(best, 0.0);
    boolean bare = u.incident() == null && u.service() == null && !model.mentionsACommandWord(u);
    Intent intent = confidence < confident
        || bare && p.confidence() < CONFIDENT_WITHOUT_COMMAND_WORD ? Intent.UNKNOWN : best;
    return new ModelReading(new Reading(intent, u.incident(), u.number(), u.service(), false,
        confidence), best);
  }

  private final IncidentDesk desk;
  private final Supplier<IntentModel> modelSource;
  private final Clock clock;
  private IntentModel model;

  public ChatResponder(IncidentDesk desk, IntentModel model, Clock clock) {
    this(desk, () -> model, clock);
  }

  /** @param model built on the first free-text message, not before */
  public ChatResponder(IncidentDesk desk, Supplier<IntentModel> model, Clock clock) {
    this.desk = desk;
    this.modelSource = model;
    this.clock = clock;
  }

  /**
   * Builds the intent model now, so that the first free-text slash command does not spend
   * Slack's 3 seconds on it.
   */
  public void warmUp() {
    model();
  }

  private synchronized IntentModel model() {
    if (model == null) {
      model = modelSource.get();
    }
    return model;
  }

  public Reply answer(String text, String actor) {
    Command.Parse p = Command.parse(text);
    if (p instanceof Command.Exact e) {
      return run(e.command(), actor, "");
    }
    if (p instanceof Command.Usage u) {
      return new Reply(u.message(), false, Intent.UNKNOWN, false);
    }
    return freeText(text, actor);
  }

  private Reply freeText(String text, String actor) {
    Optional<Command> typo = CommandTypos.read(text);
    if (typo.isPresent()) {
      Command c = typo.get();
      if (c.intent().changesSomething()) {
        return new Reply("Did you mean `" + c.typed() + "`? Nothing was changed: I act only on"
            + " exact commands.", false, c.intent(), false);
      }
      return run(c, actor, "_(read as `" + c.typed() + "`)_\n");
    }
    Utterance u = Utterance.of(text, knownServices());
    ModelReading m = readModel(u, model(), CONFIDENT);
    Intent intent = m.reading().intent();
    if (intent == Intent.UNKNOWN) {
      String guess = m.guess() == Intent.UNKNOWN ? "" : " Did you mean `"
          + new Command(m.guess(), u.incident(), u.number(), u.service(), null).typed() + "`?";
      return new Reply("I'm not sure what you mean by \"" + shorten(text, 80) + "\"." + guess
          + " `/vigil help` lists what I understand.", false, Intent.UNKNOWN, false);
    }
    String incident = u.incident();
    if (intent == Intent.RUN) {
      return new Reply("To run an action" + (u.service() == null ? "" : " on " + u.service())
          + ", send `" + new Command(Intent.RUN, incident, null, u.service(), null).typed()
          + "` (`--dry-run` shows what it would do). Nothing was run: I act only on exact"
          + " commands.", false, intent, false);
    }
    if (needsIncident(intent) && incident == null) {
      if (u.service() == null) {
        return new Reply("Which incident? Say its number, e.g. `"
            + new Command(intent, "inc-12", null, null, null).typed() + "`.", false, intent,
            false);
      }
      List<Incident> active = active(u.service());
      if (active.size() != 1) {
        return new Reply(active.isEmpty() ? "There is no active incident on " + u.service()
            + "." : "Which " + u.service() + " incident? " + active.stream().map(Incident::id)
            .collect(Collectors.joining(", ")) + ".", false, intent, false);
      }
      incident = active.get(0).id();
    }
    if (intent == Intent.STATUS && u.service() == null) {
      return new Reply("Which service? e.g. `/vigil status orders`.", false, intent, false);
    }
    if (intent == Intent.LIST && u.service() != null) {
      intent = Intent.STATUS;
    }
    Command c = new Command(intent, incident, u.number(), u.service(), null);
    if (intent.changesSomething()) {
      return new Reply("To " + verb(intent) + " " + incident + " (" + title(incident)
          + "), send `" + c.typed() + "`. Nothing was changed: I act only on exact commands.",
          false, intent, false);
    }
    return run(c, actor, "_(read as `" + c.typed() + "`)_\n");
  }

  private static boolean needsIncident(Intent i) {
    return i == Intent.SHOW || i == Intent.ACK || i == Intent.RESOLVE || i == Intent.SIMILAR
        || i == Intent.WHY || i == Intent.APPROVE;
  }

  private static String verb(Intent i) {
    return switch (i) {
      case ACK -> "acknowledge";
      case RESOLVE -> "resolve";
      default -> "approve an action of";
    };
  }

  private String title(String id) {
    try {
      return shorten(desk.get(id).title(), 80);
    } catch (RuntimeException e) {
      return "unknown incident";
    }
  }

  private Reply run(Command c, String actor, String prefix) {
    try {
      String text = switch (c.intent()) {
        case LIST -> list();
        case SHOW -> show(desk.get(c.incident()));
        case ACK -> {
          Incident i = desk.acknowledge(c.incident(), actor, c.note());
          yield i.id() + " acknowledged by " + actor + ": " + i.title();
        }
        case RESOLVE -> resolve(c, actor);
        case SIMILAR -> similar(c.incident());
        case WHY -> why(desk.get(c.incident()));
        case STATUS -> status(c.service());
        case APPROVE -> {
          desk.approve(c.incident(), c.number(), actor);
          yield "Action " + c.number() + " of " + c.incident() + " approved by " + actor
              + "; it runs now (`/vigil why " + c.incident().substring(4) + "` shows how it"
              + " went).";
        }
        case RUN -> runAction(c, actor);
        case HELP, UNKNOWN -> help();
      };
      return new Reply(prefix + text, c.intent().changesSomething() && !c.dryRun(), c.intent(),
          true);
    } catch (RuntimeException e) {
      return new Reply(prefix + "Could not " + c.intent().label() + ": " + e.getMessage(), false,
          c.intent(), false);
    }
  }

  /**
   * {@code run <action> <service> [incident]}: on the incident named, else the service's one
   * active incident, whose timeline gets the audit entries; none or several is a question back.
   */
  private String runAction(Command c, String actor) {
    String id = c.incident();
    if (id == null) {
      List<Incident> active = active(c.service());
      if (active.size() != 1) {
        throw new IllegalStateException(active.isEmpty() ? "no active incident on "
            + c.service() + ", and an action is audited on an incident's timeline; nothing was"
            + " run" : c.service() + " has " + active.size() + " active incidents ("
            + active.stream().map(Incident::id).collect(Collectors.joining(", "))
            + "): name one, e.g. `" + new Command(Intent.RUN, active.get(0).id(), null,
                c.service(), null, c.action(), c.dryRun()).typed() + "`");
      }
      id = active.get(0).id();
    }
    return desk.run(c.action(), id, c.service(), c.dryRun(), actor);
  }

  private String resolve(Command c, String actor) {
    String note = c.note();
    String category;
    int colon = note.indexOf(':');
    // "database: added the index" names the category; otherwise the incident's cause.
    if (colon > 0 && note.substring(0, colon).matches("[\\w-]{1,40}")) {
      category = note.substring(0, colon).toLowerCase(Locale.ROOT);
      note = note.substring(colon + 1).strip();
    } else {
      Incident i = desk.get(c.incident());
      category = i.classification() == null ? "unclassified" : i.classification().label();
    }
    Incident i = desk.resolve(c.incident(), actor, category, note.isEmpty() ? c.note() : note);
    return i.id() + " resolved by " + actor + " (" + category + "): " + i.resolution().note();
  }

  private String list() {
    List<Incident> active = desk.list(IncidentQuery.all(200)).stream()
        .filter(i -> i.state().isActive()).toList();
    if (active.isEmpty()) {
      return "No active incidents.";
    }
    StringBuilder b = new StringBuilder(active.size() + " active incident"
        + (active.size() == 1 ? "" : "s") + ":");
    active.stream().limit(LIST_MAX).forEach(i -> b.append('\n').append(line(i)));
    if (active.size() > LIST_MAX) {
      b.append("\n… and ").append(active.size() - LIST_MAX).append(" more");
    }
    return b.toString();
  }

  private String line(Incident i) {
    return "• `" + i.id() + "` *" + i.severity().label() + "* " + i.state().label() + " — "
        + shorten(i.title(), 100) + " (" + String.join(", ", i.services()) + ", opened "
        + ago(i.opened()) + ")";
  }

  private String show(Incident i) {
    StringBuilder b = new StringBuilder("*" + i.id() + "* " + shorten(i.title(), 200) + "\n"
        + "state " + i.state().label() + ", severity " + i.severity().label() + ", services "
        + String.join(", ", i.services()) + ", opened " + ago(i.opened()) + ", cause "
        + cause(i) + ", " + i.evidence().size() + " evidence record"
        + (i.evidence().size() == 1 ? "" : "s"));
    if (i.resolution() != null) {
      b.append("\nresolution: ").append(i.resolution().category()).append(": ")
          .append(shorten(i.resolution().note(), 200));
    }
    List<TimelineEntry> t = i.timeline();
    t.subList(Math.max(0, t.size() - 3), t.size()).forEach(e -> b.append("\n> ")
        .append(ago(e.at())).append(' ').append(e.actor()).append(' ').append(e.action())
        .append(e.note() == null ? "" : ": " + shorten(e.note(), 160)));
    return b.toString();
  }

  private String why(Incident i) {
    StringBuilder b = new StringBuilder("*" + i.id() + "*: probable cause " + cause(i)
        + "; it started on " + (i.origin() != null ? i.origin()
            : i.services().isEmpty() ? "an unknown service" : i.services().get(0)) + ".");
    Set<String> kinds = new LinkedHashSet<>();
    i.evidence().forEach(e -> kinds.add(e.kind()));
    b.append("\nEvidence (").append(String.join(", ", kinds)).append("):");
    for (Evidence e : i.evidence().subList(0, Math.min(3, i.evidence().size()))) {
      b.append("\n• ").append(e.service()).append(": ").append(shorten(
          e.body() == null ? e.kind() : e.body(), 160));
    }
    List<TimelineEntry> actions = i.timeline().stream()
        .filter(e -> e.action().equals("response")).toList();
    if (!actions.isEmpty()) {
      b.append("\nAutomated response:");
      actions.subList(Math.max(0, actions.size() - 4), actions.size()).forEach(e -> b
          .append("\n• ").append(shorten(e.note(), 200)));
    }
    return b.toString();
  }

  private String similar(String id) {
    List<Recommendation> r = desk.similar(id, 3);
    if (r.isEmpty()) {
      return "Nothing similar to " + id + " in the history.";
    }
    StringBuilder b = new StringBuilder("Similar to " + id + ":");
    r.forEach(x -> b.append("\n• `").append(x.incidentId()).append("` ")
        .append(String.format(Locale.ROOT, "%.2f", x.similarity())).append(' ')
        .append(shorten(x.title(), 100)).append(x.resolution() == null ? " (not resolved)"
            : " — fixed: " + x.resolution().category() + ": "
                + shorten(x.resolution().note(), 120)));
    return b.toString();
  }

  private String status(String service) {
    List<Incident> active = active(service);
    if (active.isEmpty()) {
      List<Incident> any = desk.list(new IncidentQuery(null, service, null, 1));
      return service + ": no active incidents" + (any.isEmpty() ? "."
          : " (latest: `" + any.get(0).id() + "` " + any.get(0).state().label() + ", updated "
              + ago(any.get(0).updated()) + ").");
    }
    StringBuilder b = new StringBuilder(service + ": " + active.size() + " active incident"
        + (active.size() == 1 ? "" : "s") + ":");
    active.stream().limit(LIST_MAX).forEach(i -> b.append('\n').append(line(i)));
    return b.toString();
  }

  private List<Incident> active(String service) {
    return desk.list(new IncidentQuery(null, service, null, 50)).stream()
        .filter(i -> i.state().isActive()).toList();
  }

  private Set<String> knownServices() {
    Set<String> s = new LinkedHashSet<>();
    desk.list(IncidentQuery.all(200)).forEach(i -> s.addAll(i.services()));
    return s;
  }

  static String help() {
    return String.join("\n",
        "`/vigil incidents` — active incidents",
        "`/vigil show 12` — one incident: state, severity, services, latest timeline",
        "`/vigil ack 12 [note]` — acknowledge it",
        "`/vigil resolve 12 [category:] <what fixed it>` — resolve it",
        "`/vigil similar 12` — similar past incidents and how they were fixed",
        "`/vigil why 12` — probable cause, evidence and automated actions",
        "`/vigil status orders` — a service's active incidents",
        "`/vigil approve 12 1` — run action 1 of incident 12 that awaits approval",
        "`/vigil run restart orders [12] [--dry-run]` — run the response rule with"
            + " `run_as: restart` for orders, on its active incident (or 12)",
        "Plain questions work too (\"what's broken in payments?\"); I answer look-ups and"
            + " offer the exact command for anything that changes an incident.");
  }

  private static String cause(Incident i) {
    return i.classification() == null || i.classification().label().equals("unclassified")
        ? "unclassified" : i.classification().label() + String.format(Locale.ROOT,
            " (confidence %.2f)", i.classification().confidence());
  }

  private String ago(Instant t) {
    Duration d = Duration.between(t, clock.instant());
    if (d.isNegative() || d.toMinutes() < 1) {
      return "just now";
    }
    if (d.toHours() < 1) {
      return d.toMinutes() + "m ago";
    }
    return d.toDays() < 1 ? d.toHours() + "h ago" : d.toDays() + "d ago";
  }

  private static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max) + "…";
  }
}
