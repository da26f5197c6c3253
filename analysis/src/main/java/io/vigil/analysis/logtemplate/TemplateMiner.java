package io.vigil.analysis.logtemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Online template mining in the manner of Drain (He et al., ICWS 2017): a message's tokens lead
 * through a fixed-depth tree (token count, then the first few tokens) to a leaf holding a few
 * templates; the message joins the most similar one if similar enough, turning the positions
 * where they differ into {@code <*>}, or starts a new template. One pass, no look-ahead: the
 * template a message gets is final.
 *
 * <p>Where it departs from Drain, and why:
 *
 * <ul>
 *   <li><b>Tokens:</b> {@link Tokenizer} masks variables inside tokens and keeps field names,
 *       so {@code uid=42,} is {@code uid=<*>,}; a run of variable tokens is one {@code <*>}.
 *   <li><b>Similarity counts constants only:</b> the share of the template's constant tokens
 *       the message repeats. Variables say nothing about which event a line is, so a line with
 *       many of them no longer needs fewer matching words to join.
 *   <li><b>Templates settle:</b> once a template has matched {@code settleAfter} messages, a
 *       token that never varied is a constant, and a message that differs there is another
 *       event ("driver hub" and "driver usbfs").
 *   <li><b>Boolean fields and verbs are the event's:</b> a {@code key=true} / {@code key=false}
 *       token, and a word like "paused" or "starting", is never widened, so
 *       {@code expand=true} / {@code expand=false} and "job paused" / "job resumed" stay two
 *       events even before the template settles.
 *   <li><b>Variable-length variables:</b> a message that fits no template of its own length is
 *       compared with the templates of other lengths that start like it. If one variable of
 *       the shorter side stands for a few tokens of the longer side ({@code lifetime <*>}
 *       against {@code lifetime <*> sec}) and everything else is equal, the message gets a
 *       template of its own length that shares that template's ID: one event, several token
 *       counts.
 * </ul>
 *
 * <p>Memory is bounded: at most {@code maxTemplates} templates, the least recently matched one
 * evicted first, and the tree is pruned as its leaves empty. Not thread-safe; the processor
 * serialises access.
 */
public final class TemplateMiner {

  /** What {@link #add} did with a message. */
  public enum Change { NEW, GENERALISED, NONE }

  /** The template a message belongs to, and whether mining it created or widened it. */
  public record Match(LogTemplate template, Change change) {}

  static final class Node {
    final Node parent;
    final String key;
    final Map<String, Node> children = new HashMap<>(4);
    Leaf leaf;

    Node(Node parent, String key) {
      this.parent = parent;
      this.key = key;
    }
  }

  static final class Leaf {
    final Node node;
    final List<LogTemplate> templates = new ArrayList<>(2);

    Leaf(Node node) {
      this.node = node;
    }
  }

  /** Tokens more or fewer than a template's that a message matched across lengths may have. */
  static final int MAX_EXTRA = 3;
  /** Templates of other lengths compared with a message that fits none of its own length. */
  static final int MAX_CANDIDATES = 32;

  private final Tokenizer tokenizer;
  private final int prefixDepth;
  private final double similarity;
  private final int maxChildren;
  private final int maxTemplates;
  private final long settleAfter;
  private final Node root = new Node(null, null);
  /** Every template by its key, least recently matched first. */
  private final LinkedHashMap<Long, LogTemplate> byKey = new LinkedHashMap<>(64, 0.75f, true);
  /** Templates by their first token, newest last: the candidates for matching across lengths. */
  private final Map<String, List<LogTemplate>> byFirstToken = new HashMap<>();
  private long evicted;

  /**
   * @param prefixDepth how many leading tokens pick the leaf (Drain's depth minus two)
   * @param similarity the share of a template's constant tokens a message must repeat to join
   * @param maxChildren children per tree node; beyond it tokens share a {@code <*>} child
   * @param maxTemplates templates kept; the least recently matched is evicted beyond it
   * @param maxTokens tokens per message; the rest is one variable
   * @param settleAfter matches after which a template's constant tokens are fixed: a message
   *     that differs in one of them starts a new template instead of widening this one
   */
  public TemplateMiner(int prefixDepth, double similarity, int maxChildren, int maxTemplates,
      int maxTokens, long settleAfter) {
    this.settleAfter = settleAfter;
    this.tokenizer = new Tokenizer(maxTokens);
    this.prefixDepth = prefixDepth;
    this.similarity = similarity;
    this.maxChildren = maxChildren;
    this.maxTemplates = maxTemplates;
  }

  /** Mines one message: finds or creates its template, widening it where the message differs. */
  public Match add(String message) {
    String[] tokens = tokenizer.tokens(message);
    Leaf leaf = find(tokens);
    LogTemplate best = leaf == null ? null : bestMatch(leaf, tokens);
    if (best != null) {
      boolean widened = widen(best, tokens);
      best.count++;
      byKey.get(best.key);
      return new Match(best, widened ? Change.GENERALISED : Change.NONE);
    }
    LogTemplate same = acrossLengths(tokens);
    long key = newKey(tokens);
    if (same != null) {
      // Another token count of a known event: the ID is the event's, so it is not news.
      LogTemplate variant = new LogTemplate(key, same.id(), tokens, 1);
      insert(variant);
      return new Match(variant, Change.GENERALISED);
    }
    LogTemplate created = new LogTemplate(key, key, tokens, 1);
    insert(created);
    return new Match(created, Change.NEW);
  }

  /** The template a message would join, without learning from it; null if none. */
  public LogTemplate match(String message) {
    String[] tokens = tokenizer.tokens(message);
    Leaf leaf = find(tokens);
    LogTemplate best = leaf == null ? null : bestMatch(leaf, tokens);
    return best != null ? best : acrossLengths(tokens);
  }

  /**
   * Puts back a template saved earlier, keeping its ID and count. Several templates may share
   * an ID (one event seen with several token counts), but not an ID and a token count.
   */
  public void restore(long id, String[] tokens, long count) {
    for (LogTemplate t : byKey.values()) {
      if (t.id() == id && t.tokens.length == tokens.length) {
        throw new IllegalArgumentException("duplicate template id " + LogTemplate.hex(id));
      }
    }
    long key = byKey.containsKey(id) ? newKey(tokens) : id;
    insert(new LogTemplate(key, id, tokens, count));
  }

  public int size() {
    return byKey.size();
  }

  /** Templates evicted to stay within the cap, since start. */
  public long evicted() {
    return evicted;
  }

  /** Tree nodes in use (for checking that memory stays bounded). */
  int nodeCount() {
    return count(root);
  }

  private static int count(Node n) {
    int c = 1;
    for (Node child : n.children.values()) {
      c += count(child);
    }
    return c;
  }

  /** All templates, least recently matched first. */
  public Collection<LogTemplate> templates() {
    return List.copyOf(byKey.values());
  }

  private Leaf find(String[] tokens) {
    Node node = root.children.get(lengthKey(tokens));
    for (int i = 0; node != null && i < Math.min(prefixDepth, tokens.length); i++) {
      Node next = node.children.get(tokens[i]);
      node = next != null ? next : node.children.get(LogTemplate.WILDCARD);
    }
    return node == null ? null : node.leaf;
  }

  private LogTemplate bestMatch(Leaf leaf, String[] tokens) {
    LogTemplate best = null;
    int bestSame = -1;
    int bestWild = -1;
    int bestConstants = 0;
    for (LogTemplate t : leaf.templates) {
      int same = 0;
      int wild = 0;
      String[] tt = t.tokens;
      boolean settled = t.count >= settleAfter;
      boolean fits = true;
      for (int i = 0; i < tt.length; i++) {
        String a = tt[i];
        if (a == LogTemplate.WILDCARD || a.equals(LogTemplate.WILDCARD)) {
          wild++;
        } else if (a.equals(tokens[i])) {
          same++;
        } else if (settled || t.fixed[i] || verb(tokens[i])) {
          fits = false;
          break;
        }
      }
      if (!fits) {
        continue;
      }
      if (same > bestSame || (same == bestSame && wild > bestWild)) {
        best = t;
        bestSame = same;
        bestWild = wild;
        bestConstants = tt.length - wild;
      }
    }
    if (best == null) {
      return null;
    }
    if (bestConstants == 0) {
      // A template of variables only takes nothing but its own outline.
      for (String token : tokens) {
        if (!token.equals(LogTemplate.WILDCARD)) {
          return null;
        }
      }
      return best;
    }
    return bestSame >= similarity * bestConstants ? best : null;
  }

  /**
   * A lower-case word of six letters or more ending in -ed or -ing ("paused", "resumed",
   * "starting"): a verb says what happened, so it is the event's, never a variable.
   */
  static boolean verb(String w) {
    int n = w.length();
    while (n > 0 && !Character.isLetter(w.charAt(n - 1))) {
      n--;
    }
    if (n < 6) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = w.charAt(i);
      if (!(c >= 'a' && c <= 'z')) {
        return false;
      }
    }
    return w.startsWith("ed", n - 2) || w.startsWith("ing", n - 3);
  }

  /** A {@code key=true} or {@code key=false} field: a state, never a variable. */
  static boolean isState(String token) {
    int eq = token.indexOf('=');
    while (eq >= 0) {
      if (token.startsWith("true", eq + 1) || token.startsWith("false", eq + 1)) {
        return true;
      }
      eq = token.indexOf('=', eq + 1);
    }
    return false;
  }

  /**
   * A template of another token count that is the same event as the message: the newest one
   * that {@link #aligns} with it; null if none.
   */
  private LogTemplate acrossLengths(String[] tokens) {
    if (tokens.length == 0) {
      return null;
    }
    List<LogTemplate> candidates = byFirstToken.get(tokens[0]);
    if (candidates == null) {
      return null;
    }
    int checked = 0;
    for (int c = candidates.size() - 1; c >= 0 && checked < MAX_CANDIDATES; c--) {
      LogTemplate t = candidates.get(c);
      int extra = tokens.length - t.tokens.length;
      if (extra == 0 || Math.abs(extra) > MAX_EXTRA) {
        continue;
      }
      checked++;
      if (extra > 0 ? aligns(t.tokens, tokens, true) : aligns(tokens, t.tokens, false)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Whether {@code longer} is {@code shorter} with a few tokens more, each of them a variable
   * or, once, a word right after a variable (a unit: {@code <*> sec}, {@code <*> KB}): a value
   * that is sometimes absent or spans several tokens. Where a side is the template, its
   * {@code <*>} matches any one token; constants must be equal. Some constant must be shared.
   */
  static boolean aligns(String[] shorter, String[] longer, boolean shorterIsTemplate) {
    int extra = longer.length - shorter.length;
    // reach[d][u]: shorter[0, i) aligned with longer[0, i + d), u words skipped.
    boolean[][] reach = new boolean[extra + 1][2];
    boolean[][] next = new boolean[extra + 1][2];
    reach[0][0] = true;
    for (int i = 0; i <= shorter.length; i++) {
      // Skips at this i: longer[i + d] left out, d growing.
      for (int d = 0; d < extra; d++) {
        for (int u = 0; u < 2; u++) {
          if (!reach[d][u]) {
            continue;
          }
          String skipped = longer[i + d];
          if (skipped.equals(LogTemplate.WILDCARD)) {
            reach[d + 1][u] = true;
          } else if (u == 0 && i + d > 0 && longer[i + d - 1].equals(LogTemplate.WILDCARD)
              && hasLetter(skipped)) {
            reach[d + 1][1] = true;
          }
        }
      }
      if (i == shorter.length) {
        break;
      }
      for (boolean[] row : next) {
        row[0] = false;
        row[1] = false;
      }
      boolean any = false;
      for (int d = 0; d <= extra; d++) {
        for (int u = 0; u < 2; u++) {
          if (reach[d][u] && same(shorter[i], longer[i + d], shorterIsTemplate)) {
            next[d][u] = true;
            any = true;
          }
        }
      }
      if (!any) {
        return false;
      }
      boolean[][] swap = reach;
      reach = next;
      next = swap;
    }
    return (reach[extra][0] || reach[extra][1]) && hasConstant(shorter);
  }

  private static boolean hasLetter(String token) {
    for (int i = 0; i < token.length(); i++) {
      if (Character.isLetter(token.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasConstant(String[] tokens) {
    for (String t : tokens) {
      if (!t.equals(LogTemplate.WILDCARD)) {
        return true;
      }
    }
    return false;
  }

  /** Token {@code a} of the side that may be a template against {@code b} of the other. */
  private static boolean same(String a, String b, boolean aIsTemplate) {
    if (aIsTemplate) {
      return a.equals(LogTemplate.WILDCARD) || a.equals(b);
    }
    return b.equals(LogTemplate.WILDCARD) || a.equals(b);
  }

  private static boolean widen(LogTemplate t, String[] tokens) {
    boolean changed = false;
    for (int i = 0; i < t.tokens.length; i++) {
      if (!t.tokens[i].equals(tokens[i]) && !t.tokens[i].equals(LogTemplate.WILDCARD)) {
        if (!changed) {
          t.tokens = t.tokens.clone();
          changed = true;
        }
        t.tokens[i] = LogTemplate.WILDCARD;
      }
    }
    return changed;
  }

  private void insert(LogTemplate t) {
    String[] tokens = t.tokens;
    Node node = root.children.computeIfAbsent(lengthKey(tokens), k -> new Node(root, k));
    for (int i = 0; i < Math.min(prefixDepth, tokens.length); i++) {
      String key = tokens[i];
      Node next = node.children.get(key);
      if (next == null) {
        if (!key.equals(LogTemplate.WILDCARD) && node.children.size() >= maxChildren - 1) {
          key = LogTemplate.WILDCARD;
        }
        Node parent = node;
        next = node.children.computeIfAbsent(key, k -> new Node(parent, k));
      }
      node = next;
    }
    if (node.leaf == null) {
      node.leaf = new Leaf(node);
    }
    node.leaf.templates.add(t);
    t.leaf = node.leaf;
    if (tokens.length > 0) {
      t.firstToken = tokens[0];
      byFirstToken.computeIfAbsent(t.firstToken, k -> new ArrayList<>(2)).add(t);
    }
    byKey.put(t.key, t);
    while (byKey.size() > maxTemplates) {
      evict();
    }
  }

  private void evict() {
    Iterator<LogTemplate> oldest = byKey.values().iterator();
    LogTemplate victim = oldest.next();
    oldest.remove();
    evicted++;
    if (victim.firstToken != null) {
      List<LogTemplate> same = byFirstToken.get(victim.firstToken);
      same.remove(victim);
      if (same.isEmpty()) {
        byFirstToken.remove(victim.firstToken);
      }
    }
    Leaf leaf = victim.leaf;
    victim.leaf = null;
    leaf.templates.remove(victim);
    if (!leaf.templates.isEmpty()) {
      return;
    }
    Node node = leaf.node;
    node.leaf = null;
    while (node.parent != null && node.children.isEmpty() && node.leaf == null) {
      node.parent.children.remove(node.key);
      node = node.parent;
    }
  }

  private static String lengthKey(String[] tokens) {
    return Integer.toString(tokens.length);
  }

  /**
   * IDs derive from the tokens a template starts with, so two gateways that meet the same first
   * message name the template alike; a clash (rare) moves to the next free ID.
   */
  private long newKey(String[] tokens) {
    long h = 0xcbf29ce484222325L;
    for (String s : tokens) {
      for (int i = 0; i < s.length(); i++) {
        h = (h ^ s.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ ' ') * 0x100000001b3L;
    }
    while (byKey.containsKey(h)) {
      h++;
    }
    return h;
  }
}
