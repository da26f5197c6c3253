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
 * where they differ into {@code <*>}, or starts a new template.
 *
 * <p>Unlike Drain, a template settles: once it has matched {@code settleAfter} messages, a
 * token that never varied is taken for a constant, and a message that differs there is a
 * different event (two events that differ in one word, such as "driver hub" and "driver
 * usbfs", are told apart once the first is established). Variables that hold digits, and
 * calendar words, are masked before matching, so they never settle.
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

  private final Tokenizer tokenizer;
  private final int prefixDepth;
  private final double similarity;
  private final int maxChildren;
  private final int maxTemplates;
  private final long settleAfter;
  private final Node root = new Node(null, null);
  /** Every template by ID, least recently matched first. */
  private final LinkedHashMap<Long, LogTemplate> byId = new LinkedHashMap<>(64, 0.75f, true);
  private long evicted;

  /**
   * @param prefixDepth how many leading tokens pick the leaf (Drain's depth minus two)
   * @param similarity the share of equal tokens a message needs to join a template
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
      byId.get(best.id());
      return new Match(best, widened ? Change.GENERALISED : Change.NONE);
    }
    LogTemplate created = new LogTemplate(newId(tokens), tokens, 1);
    insert(created);
    return new Match(created, Change.NEW);
  }

  /** The template a message would join, without learning from it; null if none. */
  public LogTemplate match(String message) {
    String[] tokens = tokenizer.tokens(message);
    Leaf leaf = find(tokens);
    return leaf == null ? null : bestMatch(leaf, tokens);
  }

  /** Puts back a template saved earlier, keeping its ID and count. */
  public void restore(long id, String[] tokens, long count) {
    if (byId.containsKey(id)) {
      throw new IllegalArgumentException("duplicate template id " + LogTemplate.hex(id));
    }
    insert(new LogTemplate(id, tokens, count));
  }

  public int size() {
    return byId.size();
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
    return List.copyOf(byId.values());
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
          if (tokens[i] == LogTemplate.WILDCARD) {
            same++;
          }
        } else if (a.equals(tokens[i])) {
          same++;
        } else if (settled) {
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
      }
    }
    if (best == null || bestSame < similarity * tokens.length) {
      return null;
    }
    return best;
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
    byId.put(t.id(), t);
    while (byId.size() > maxTemplates) {
      evict();
    }
  }

  private void evict() {
    Iterator<LogTemplate> oldest = byId.values().iterator();
    LogTemplate victim = oldest.next();
    oldest.remove();
    evicted++;
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
  private long newId(String[] tokens) {
    long h = 0xcbf29ce484222325L;
    for (String s : tokens) {
      for (int i = 0; i < s.length(); i++) {
        h = (h ^ s.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ ' ') * 0x100000001b3L;
    }
    while (byId.containsKey(h)) {
      h++;
    }
    return h;
  }
}
