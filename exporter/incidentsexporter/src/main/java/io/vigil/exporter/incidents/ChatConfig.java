package io.vigil.exporter.incidents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code chat} block: Slack- and Mattermost-compatible slash commands on the incidents API
 * ({@code POST /api/chat/slash}). Off unless a secret is set: the endpoint does not take the
 * API's bearer token (Slack and Mattermost cannot send one), so each request must prove where
 * it came from.
 */
public class ChatConfig {
  /** Slack app's signing secret: requests must carry a valid {@code X-Slack-Signature}. */
  public String slackSigningSecret = "";
  /** Mattermost slash command's token: requests must carry it in the {@code token} field. */
  public String mattermostToken = "";
  /** A signed request older or newer than this is refused, and one seen before is too. */
  public Duration replayWindow = Duration.ofMinutes(5);
  /**
   * An answer not ready within this is replaced by "working on it" and posted to the command's
   * {@code response_url} when it is: Slack shows an error after 3 s.
   */
  public Duration replyWithin = Duration.ofMillis(2500);
  /**
   * A Slack or Mattermost incoming webhook told when incidents open, reopen, get more severe,
   * are acknowledged or resolved, and when a response action awaits approval; "" = off. Works
   * without slash commands.
   */
  public String notifyUrl = "";
  /** {@code slack} (Block Kit blocks) or {@code mattermost} (attachments with fields). */
  public String notifyFormat = "slack";
  /**
   * What {@code notify_url} is told: {@code opened}, {@code reopened}, {@code escalated}
   * (severity rose), {@code acknowledged}, {@code resolved}, {@code approval}.
   */
  public List<String> notifyOn = new ArrayList<>(List.of("opened", "reopened", "escalated",
      "acknowledged", "resolved", "approval"));

  public boolean enabled() {
    return !slackSigningSecret.isEmpty() || !mattermostToken.isEmpty();
  }
}
