package io.vigil.processor.ottl.internal;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Stops at the first error, like ANTLR's BailErrorStrategy, but keeps the default strategy's
 * checks where an optional part or a list may start: there the parser still knows every token
 * it could take ({@code {} after {@code {}: a string or {@code }}), which makes the "expected"
 * part of the message complete.
 */
final class FirstErrorStrategy extends DefaultErrorStrategy {

  @Override
  public void recover(Parser recognizer, RecognitionException e) {
    throw new ParseCancellationException(e);
  }

  @Override
  public Token recoverInline(Parser recognizer) {
    throw new ParseCancellationException(new InputMismatchException(recognizer));
  }

  @Override
  protected void reportUnwantedToken(Parser recognizer) {
    throw new ParseCancellationException(new InputMismatchException(recognizer));
  }

  @Override
  protected void reportMissingToken(Parser recognizer) {
    throw new ParseCancellationException(new InputMismatchException(recognizer));
  }

  @Override
  public void reportError(Parser recognizer, RecognitionException e) {
    // The exception goes to the caller through recover; nothing is printed.
  }
}
