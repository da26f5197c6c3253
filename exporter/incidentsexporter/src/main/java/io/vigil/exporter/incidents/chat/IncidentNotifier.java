package io.vigil.exporter.incidents.chat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.Severity;
import io.vigil.exporter.incidents.TimelineEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells a Slack or Mattermost incoming webhook ({@code chat::notify_url}) when an incident opens,
 * reopens, gets more severe, is acknowledged or resolved, and when a response action awaits
 * approval. Slack gets Block Kit blocks, Mattermost (which does not render blocks) Slack-style
 * attachments with fields; both carry a plain {@code text} for notifications and clients that
 * show no more. New evidence joining an incident is not news by itself (it arrives every few
 * seconds during a fault): only a rise in severity is told. Posting is asynchronous and a
 * failure is only logged ({@link ChatPoster}), so a chat platform being down never holds up an
 * incident.
 */
public final class IncidentNotifier {

  /** What can be told; {@code chat::notify_on} lists them by label. */
  public enum Event {
    OPENED, REOPENED, ESCALATED, ACKNOWLEDGED, RESOLVED, APPROVAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The event of a label; throws IllegalArgumentException for another word. */
    public static Event of(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }
  }

  /** Incidents whose last told severity is remembered (the oldest are forgotten first). */
  private static final int REMEMBERED = 10_000;

  private final String url;
  private final boolean mattermost;
  private final Set<Event> on;
  private final ChatPoster poster;
  private final Map<String, Severity> told = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Severity> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** @param format {@code slack} or {@code mattermost} */
  public IncidentNotifier(String url, String format, Set<Event> on, ChatPoster poster) {
    this.url = url;
    this.mattermost = "mattermost".equals(format);
    this.on = Set.copyOf(on);
    this.poster = poster;
  }

  /**
   * Called with each change the tracker makes: {@code opened}, {@code reopened}, {@code joined}
   * (new evidence), {@code acknowledged}, {@code resolved}. Must not block: it only decides and
   * hands the post to the HTTP client.
   */
  public void changed(Incident incident, String change) {
    Event event = switch (change) {
      case "opened" -> Event.OPENED;
      case "reopened" -> Event.REOPENED;
      case "acknowledged" -> Event.ACKNOWLEDGED;
      case "resolved" -> Event.RESOLVED;
      case "joined" -> escalated(incident) ? Event.ESCALATED : null;
      default -> null;
    };
    synchronized (told) {
      told.put(incident.id(), incident.severity());
    }
    if (event != null && on.contains(event)) {
      poster.post(url, message(event, incident));
    }
  }

  /** A response action awaits approval: {@code text} says which and how to approve it. */
  public void approvalNeeded(String text) {
    if (!on.contains(Event.APPROVAL)) {
      return;
    }
    ObjectNode n = JsonReplies.JSON.createObjectNode().put("text", text);
    if (mattermost) {
      n.putArray("attachments").addObject().put("fallback", text).put("color", "#e8a317")
          .put("title", "Approval needed").put("text", text);
    } else {
      n.putArray("blocks").addObject().put("type", "section").putObject("text")
          .put("type", "mrkdwn").put("text", ":raised_hand: *Approval needed*\n" + text);
    }
    poster.post(url, n);
  }

  private boolean escalated(Incident incident) {
    synchronized (told) {
      Severity before = told.get(incident.id());
      // Unknown (told before a restart, or forgotten): remember it now rather than guess.
      return before != null && incident.severity().compareTo(before) > 0;
    }
  }

  /** The message for {@code event} in this notifier's format. */
  ObjectNode message(Event event, Incident i) {
    String number = i.id().startsWith("inc-") ? i.id().substring(4) : i.id();
    String headline = i.id() + " " + headline(event, i);
    String services = String.join(", ", i.services());
    String cause = i.classification() == null ? "unclassified" : i.classification().label();
    String detail = detail(event, i);
    ObjectNode n = JsonReplies.JSON.createObjectNode().put("text", headline + ": "
        + shorten(i.title(), 200) + " (" + i.severity().label() + "; " + services + ")");
    if (mattermost) {
      ObjectNode a = n.putArray("attachments").addObject()
          .put("fallback", n.get("text").asText())
          .put("color", color(i.severity()))
          .put("title", headline)
          .put("text", shorten(i.title(), 500) + (detail.isEmpty() ? "" : "\n" + detail));
      ArrayNode fields = a.putArray("fields");
      field(fields, "Severity", i.severity().label(), true);
      field(fields, "State", i.state().label(), true);
      field(fields, "Services", services, true);
      field(fields, "Cause", cause, true);
      a.put("footer", "/vigil show " + number + " · /vigil why " + number);
    } else {
      ArrayNode blocks = n.putArray("blocks");
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
          .put("text", emoji(event) + " *" + headline + "* · *" + i.severity().label() + "*\n"
              + shorten(i.title(), 500) + (detail.isEmpty() ? "" : "\n" + detail));
      blocks.addObject().put("type", "context").putArray("elements").addObject()
          .put("type", "mrkdwn").put("text", "state " + i.state().label() + " · services "
              + services + " · cause " + cause + " · `/vigil show " + number + "` · `/vigil why "
              + number + "`");
    }
    return n;
  }

  private static String headline(Event event, Incident i) {
    return switch (event) {
      case OPENED -> "opened";
      case REOPENED -> "reopened";
      case ESCALATED -> "is now " + i.severity().label();
      case ACKNOWLEDGED -> "acknowledged";
      case RESOLVED -> "resolved";
      case APPROVAL -> "awaits an approval";
    };
  }

  /** Who acknowledged or resolved it, and the resolution; else nothing. */
  private static String detail(Event event, Incident i) {
    if (event != Event.ACKNOWLEDGED && event != Event.RESOLVED && event != Event.REOPENED) {
      return "";
    }
    List<TimelineEntry> t = i.timeline();
    if (t.isEmpty()) {
      return "";
    }
    TimelineEntry last = t.get(t.size() - 1);
    return "by " + last.actor() + (last.note() == null || last.note().isBlank() ? ""
        : ": " + shorten(last.note(), 300));
  }

  private static void field(ArrayNode fields, String title, String value, boolean isShort) {
    fields.addObject().put("short", isShort).put("title", title).put("value", value);
  }

  private static String color(Severity s) {
    return switch (s) {
      case CRITICAL -> "#8b0000";
      case HIGH -> "#d00000";
      case MEDIUM -> "#e8a317";
      case LOW -> "#439fe0";
    };
  }

  private static String emoji(Event e) {
    return switch (e) {
      case OPENED, REOPENED -> ":rotating_light:";
      case ESCALATED -> ":arrow_up:";
      case ACKNOWLEDGED -> ":eyes:";
      case RESOLVED -> ":white_check_mark:";
      case APPROVAL -> ":raised_hand:";
    };
  }

  private static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max) + "…";
  }
}
