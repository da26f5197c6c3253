package io.vigil.processor.redaction.internal;

import io.vigil.core.config.ConfigException;
import java.util.regex.Pattern;

/** Named value patterns offered beside {@code blocked_values}: Vigil's own key. */
public enum ValuePreset {
  /** Payment card numbers that pass the Luhn check. */
  CREDIT_CARD("credit_card", new CreditCardMasker()),
  /** E-mail addresses. */
  EMAIL("email", new RegexMasker(Pattern.compile(
      "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"), 0)),
  /** The credential after {@code Bearer } (the word kept, so the value still reads as a header). */
  BEARER_TOKEN("bearer_token", new RegexMasker(Pattern.compile(
      "(?i)\\bbearer\\s+([A-Za-z0-9\\-._~+/]+=*)"), 1)),
  /** AWS access key IDs (long-term AKIA, temporary ASIA). */
  AWS_ACCESS_KEY("aws_access_key", new RegexMasker(Pattern.compile(
      "\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"), 0));

  private final String configName;
  private final ValueMasker masker;

  ValuePreset(String configName, ValueMasker masker) {
    this.configName = configName;
    this.masker = masker;
  }

  public ValueMasker masker() {
    return masker;
  }

  public static ValuePreset parse(String name, String keyPath) {
    for (ValuePreset p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    throw new ConfigException(keyPath, "unknown preset \"" + name
        + "\"; use credit_card, email, bearer_token or aws_access_key");
  }
}
