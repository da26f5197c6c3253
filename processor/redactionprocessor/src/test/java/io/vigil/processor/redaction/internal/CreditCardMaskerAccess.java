package io.vigil.processor.redaction.internal;

/** The Luhn check, for the fuzz test next door. */
public final class CreditCardMaskerAccess {

  private CreditCardMaskerAccess() {}

  public static boolean luhn(String digits) {
    return CreditCardMasker.luhn(digits);
  }
}
