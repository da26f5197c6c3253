package io.vigil.processor.redaction.internal;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Card numbers: 13 to 19 digits, optionally grouped by spaces or dashes, masked only when the
 * Luhn check holds, so order numbers, timestamps and phone numbers of that length mostly pass.
 */
final class CreditCardMasker implements ValueMasker {

  private static final Pattern CANDIDATE = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

  @Override
  public String mask(String value, UnaryOperator<String> replacement) {
    Matcher m = CANDIDATE.matcher(value);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      if (!luhn(m.group())) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(value.length());
      }
      out.append(value, last, m.start()).append(replacement.apply(m.group()));
      last = m.end();
    }
    return out == null ? value : out.append(value, last, value.length()).toString();
  }

  static boolean luhn(String number) {
    int sum = 0;
    int digits = 0;
    boolean twice = false;
    for (int i = number.length() - 1; i >= 0; i--) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
      digits++;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }
}
