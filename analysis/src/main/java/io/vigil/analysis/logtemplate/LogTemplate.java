package io.vigil.analysis.logtemplate;

/**
 * One mined template: constant tokens and {@code <*>} where lines of the group differ. The ID is
 * fixed when the template is created and survives generalisation and restarts, so alerts and
 * dashboards can refer to it. One event seen with several token counts (a variable that spans
 * a varying number of words) has one template per token count, all with the same ID.
 */
public final class LogTemplate {

  public static final String WILDCARD = "<*>";

  /** Unique per miner; equals {@link #id} unless this is another token count of an event. */
  final long key;
  private final long id;
  String[] tokens;
  long count;
  /** The leaf this template lives in; null once evicted. */
  TemplateMiner.Leaf leaf;
  /** The first token it was filed under for matching across lengths. */
  String firstToken;
  /** Positions that are never widened: boolean fields and verbs. */
  final boolean[] fixed;

  LogTemplate(long key, long id, String[] tokens, long count) {
    this.key = key;
    this.id = id;
    this.tokens = tokens;
    this.count = count;
    this.fixed = new boolean[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      fixed[i] = TemplateMiner.isState(tokens[i]) || TemplateMiner.verb(tokens[i]);
    }
  }

  public long id() {
    return id;
  }

  /** The ID as attributes carry it: 16 lower-case hex digits. */
  public String idHex() {
    return hex(id);
  }

  static String hex(long id) {
    String h = Long.toHexString(id);
    return "0".repeat(16 - h.length()) + h;
  }

  public String text() {
    return String.join(" ", tokens);
  }

  /** The template's tokens, {@link #WILDCARD} where lines differ (a copy). */
  public java.util.List<String> tokens() {
    return java.util.List.of(tokens);
  }

  public long count() {
    return count;
  }

  public int length() {
    return tokens.length;
  }

  @Override
  public String toString() {
    return idHex() + " " + text();
  }
}
