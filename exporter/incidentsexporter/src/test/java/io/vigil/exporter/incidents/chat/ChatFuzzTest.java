package io.vigil.exporter.incidents.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated input to every part of the chat that reads what a stranger sends:
 * the form parser, the signature check and the message reader. Never an unexpected exception,
 * never a mutated or unsigned request accepted, entities always well-formed.
 */
class ChatFuzzTest {

  private static final String[] PIECES = {"ack", "resolve", "show", "approve", "status", "why",
      "similar", "help", "incidents", " ", "  ", "12", "inc-", "#", "-1", "99999999999", "0",
      "action", "orders", "payments", "?", "%", "%zz", "%41", "+", "&", "=", "\n", "\t", "é",
      "😀", "the", "one", ":", "\\", "\"", "'", "${incident.id}", "*", "`"};
  private static IntentModel model;

  @BeforeAll
  static void model() {
    model = IntentModel.bundled();
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  private static String text(Random r, int max) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(max);
    for (int i = 0; i < n; i++) {
      b.append(r.nextInt(5) == 0 ? Character.toString(r.nextInt(0x2000))
          : PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  @Test
  void readerAcceptsAnyTextAndKeepsEntitiesWellFormed() {
    Random r = new Random(12L);
    for (int i = 0; i < 400; i++) {
      String t = text(r, 12);
      ChatResponder.Reading reading = ChatResponder.read(t, model, List.of("orders",
          "payments"));
      assertThat(reading.intent()).as(t).isNotNull();
      if (reading.incident() != null) {
        assertThat(reading.incident()).as(t).matches("inc-\\d{1,9}");
      }
      if (reading.service() != null) {
        assertThat(reading.service()).isIn("orders", "payments");
      }
      assertThat(reading.confidence()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void formParserFailsOnlyWithItsOwnMessage() {
    Random r = new Random(34L);
    for (int i = 0; i < 3000; i++) {
      String body = text(r, 20);
      try {
        SlashCommand c = SlashCommand.parse(body);
        assertThat(c.text()).isNotNull();
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isEqualTo("the form body has a malformed %-escape");
      }
    }
  }

  @Test
  void onlyTheExactSignedBodyIsAccepted() throws Exception {
    Instant now = Instant.parse("2026-03-01T10:00:00Z");
    Random r = new Random(56L);
    for (int i = 0; i < 1000; i++) {
      RequestVerifier v = new RequestVerifier("secret", "", Duration.ofMinutes(5),
          Clock.fixed(now, ZoneOffset.UTC));
      byte[] body = ("command=%2Fvigil&text=" + text(r, 6)).getBytes(StandardCharsets.UTF_8);
      long ts = now.getEpochSecond() - r.nextInt(600) + 300;
      String good = sign("secret", ts, body);
      // A flipped byte of the body, a changed timestamp, a flipped signature character.
      byte[] mutated = body.clone();
      mutated[r.nextInt(mutated.length)] ^= (byte) (1 + r.nextInt(127));
      String bad = good.substring(0, good.length() - 1)
          + (good.endsWith("0") ? "1" : "0");
      assertThatThrownBy(() -> v.verify(good, "" + ts, mutated, null))
          .isInstanceOf(RequestVerifier.Refused.class);
      assertThatThrownBy(() -> v.verify(good, "" + (ts + 1), body, null))
          .isInstanceOf(RequestVerifier.Refused.class);
      assertThatThrownBy(() -> v.verify(bad, "" + ts, body, null))
          .isInstanceOf(RequestVerifier.Refused.class);
      assertThatThrownBy(() -> v.verify(text(r, 4), text(r, 3), body, text(r, 3)))
          .isInstanceOf(RequestVerifier.Refused.class);
      for (String extreme : new String[] {"-9223372036854775808", "9223372036854775807",
          "99999999999999999999", " ", "1e9"}) {
        assertThatThrownBy(() -> v.verify(good, extreme, body, null))
            .isInstanceOf(RequestVerifier.Refused.class);
      }
      if (Math.abs(ts - now.getEpochSecond()) <= 300) {
        assertThat(v.verify(good, "" + ts, body, null)).isEqualTo("slack");
      } else {
        assertThatThrownBy(() -> v.verify(good, "" + ts, body, null))
            .isInstanceOf(RequestVerifier.Refused.class).hasMessageContaining("from now");
      }
    }
  }

  private static String sign(String secret, long ts, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8));
    return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
