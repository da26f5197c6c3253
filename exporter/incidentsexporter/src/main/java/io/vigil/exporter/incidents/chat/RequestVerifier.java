package io.vigil.exporter.incidents.chat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves a slash command came from Slack or Mattermost. Slack: {@code X-Slack-Signature} is
 * {@code v0=} and the hex HMAC-SHA256, keyed with the app's signing secret, of
 * {@code v0:<X-Slack-Request-Timestamp>:<body>}; the timestamp must be within the replay window
 * of now, and a signature already accepted within the window is refused (a captured request
 * cannot be sent again). Mattermost: the form's {@code token} equals the command's token
 * (Mattermost signs nothing, so a replay cannot be told from a repeat there). Comparisons are
 * constant-time.
 */
final class RequestVerifier {

  /** A request that did not prove its origin; the message says why, for the 401 body. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private static final int MAX_REMEMBERED = 10_000;

  private final byte[] slackSecret;
  private final byte[] mattermostToken;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Instant> seen = new LinkedHashMap<>();

  RequestVerifier(String slackSecret, String mattermostToken, Duration window, Clock clock) {
    this.slackSecret = slackSecret.isEmpty() ? null
        : slackSecret.getBytes(StandardCharsets.UTF_8);
    this.mattermostToken = mattermostToken.isEmpty() ? null
        : mattermostToken.getBytes(StandardCharsets.UTF_8);
    this.window = window;
    this.clock = clock;
  }

  /** Returns {@code slack} or {@code mattermost}; throws {@link Refused}. */
  String verify(String signature, String timestamp, byte[] body, String formToken) {
    if (signature != null) {
      if (slackSecret == null) {
        throw new Refused("Slack signatures are not accepted: chat::slack_signing_secret is"
            + " not set");
      }
      slack(signature, timestamp, body);
      return "slack";
    }
    if (mattermostToken != null && formToken != null && !formToken.isEmpty()) {
      if (!MessageDigest.isEqual(mattermostToken, formToken.getBytes(StandardCharsets.UTF_8))) {
        throw new Refused("wrong token");
      }
      return "mattermost";
    }
    throw new Refused("neither an X-Slack-Signature nor a Mattermost token");
  }

  private void slack(String signature, String timestamp, byte[] body) {
    long ts;
    try {
      ts = Long.parseLong(timestamp == null ? "" : timestamp.strip());
    } catch (NumberFormatException e) {
      throw new Refused("X-Slack-Request-Timestamp is missing or not a number");
    }
    Instant now = clock.instant();
    long skew;
    try {
      skew = Math.abs(Math.subtractExact(now.getEpochSecond(), ts));
    } catch (ArithmeticException e) {
      skew = Long.MAX_VALUE;
    }
    if (skew > window.toSeconds()) {
      throw new Refused("request timestamp " + ts + " is more than " + window + " from now");
    }
    byte[] expected = ("v0=" + HexFormat.of().formatHex(hmac(ts, body)))
        .getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
      throw new Refused("X-Slack-Signature does not match the body");
    }
    synchronized (seen) {
      forgetOlderThan(now.minus(window));
      if (seen.putIfAbsent(signature, now) != null) {
        throw new Refused("this signed request was already received (replay)");
      }
    }
  }

  private byte[] hmac(long ts, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(slackSecret, "HmacSHA256"));
      mac.update(("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private void forgetOlderThan(Instant cutoff) {
    Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Instant> e = it.next();
      // In arrival order: the first one inside the window ends the sweep. The cap bounds the
      // memory a flood of valid requests could take.
      if (e.getValue().isBefore(cutoff) || seen.size() > MAX_REMEMBERED) {
        it.remove();
      } else {
        break;
      }
    }
  }
}
