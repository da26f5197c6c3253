package io.vigil.processor.ottl;

/**
 * A condition or statement that failed on one record (a value of the wrong type, an index out
 * of range): the processor's {@code error_mode} decides what follows.
 */
public final class OttlEvaluationException extends RuntimeException {
  public OttlEvaluationException(String message) {
    super(message);
  }

  public OttlEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
