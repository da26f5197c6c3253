package io.vigil.processor.ottl;

/**
 * A condition or statement that does not parse or does not compile (unknown path, function or
 * enum, wrong argument): where, as 1-based line and column, and what was expected there.
 */
public final class OttlSyntaxException extends RuntimeException {
  private final int line;
  private final int column;
  private final String detail;

  public OttlSyntaxException(int line, int column, String detail) {
    super("line " + line + " column " + column + ": " + detail);
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The problem without its position. */
  public String detail() {
    return detail;
  }
}
