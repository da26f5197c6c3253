package io.vigil.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated values through every preset: never a crash; masking is idempotent;
 * no Luhn-valid card number, e-mail or AWS key survives.
 */
class RedactionFuzzTest {

  private static final String[] SEEDS = {
    "paid 4111 1111 1111 1111 by jane@example.com",
    "Bearer abc.def.ghi and AKIAIOSFODNN7EXAMPLE",
    "5555-5555-5555-4444; 378282246310005; x@y.io",
  };
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  // A card number as the preset defines it: 13 to 19 digits, single spaces or dashes between,
  // no digit touching either end (a longer digit run is not a card number).
  private static final Pattern DIGITS = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

  @Test
  void randomValuesNeverCrashAndLeaveNoSecret() {
    RedactionConfig c = new RedactionConfig();
    c.allowAllKeys = true;
    c.blockedValuePresets = List.of("credit_card", "email", "bearer_token", "aws_access_key");
    Redactor r = new Redactor(c);
    Random rnd = new Random(25);
    String alphabet = "0123456789 -@.abcXYZ_+AKIASbearer\u00e9\u4e2d";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder v = new StringBuilder(SEEDS[rnd.nextInt(SEEDS.length)]);
      for (int k = 0; k < 1 + rnd.nextInt(6) && v.length() > 0; k++) {
        int at = rnd.nextInt(v.length());
        char ch = alphabet.charAt(rnd.nextInt(alphabet.length()));
        switch (rnd.nextInt(3)) {
          case 0 -> v.setCharAt(at, ch);
          case 1 -> v.deleteCharAt(at);
          default -> v.insert(at, ch);
        }
      }
      String once = mask(r, v.toString());
      assertThat(mask(r, once)).as("idempotent for %s", v).isEqualTo(once);
      assertThat(EMAIL.matcher(once).find()).as("e-mail left in %s", once).isFalse();
      Matcher d = DIGITS.matcher(once);
      while (d.find()) {
        assertThat(io.vigil.processor.redaction.internal.CreditCardMaskerAccess.luhn(d.group()))
            .as("card number left in %s", once).isFalse();
      }
    }
  }

  private static String mask(Redactor r, String value) {
    List<KeyValue> out = r.attributes(List.of(Records.str("v", value)), new Redactor.Tally());
    return out.get(0).getValue().getStringValue();
  }
}
