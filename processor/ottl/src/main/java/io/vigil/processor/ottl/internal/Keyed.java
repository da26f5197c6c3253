package io.vigil.processor.ottl.internal;

import io.vigil.processor.ottl.OttlEvaluationException;
import io.vigil.processor.ottl.RecordContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A path or converter result indexed by keys: {@code attributes["a"]["b"]}, {@code body[0]},
 * {@code Split(name, "/")[1]}. A missing map key reads as nil; writing through a missing key
 * creates the map on the way. The first key of an attribute map reads and writes one attribute
 * without copying the others.
 */
final class Keyed implements Target {
  private final Expr base;
  private final List<Expr> keys;

  Keyed(Expr base, List<Expr> keys) {
    this.base = base;
    this.keys = keys;
  }

  /** A key written as a literal. */
  record Constant(Object value) implements Expr {
    @Override
    public Object eval(RecordContext c) {
      return value;
    }
  }

  @Override
  public Object eval(RecordContext c) {
    Object v;
    int from;
    if (base instanceof Paths.AttributesTarget attrs) {
      v = attrs.get(c, stringKey(keys.get(0).eval(c)));
      from = 1;
    } else {
      v = base.eval(c);
      from = 0;
    }
    for (int i = from; i < keys.size(); i++) {
      if (v == null) {
        return null;
      }
      v = index(v, keys.get(i).eval(c));
    }
    return v;
  }

  @Override
  public void set(RecordContext c, Object value) {
    if (!(base instanceof Target target)) {
      throw new OttlEvaluationException("a converter's result cannot be set");
    }
    if (target instanceof Paths.AttributesTarget attrs) {
      String first = stringKey(keys.get(0).eval(c));
      if (keys.size() == 1) {
        attrs.put(c, first, value);
        return;
      }
      Object root = attrs.get(c, first);
      if (root == null) {
        root = new LinkedHashMap<String, Object>();
      }
      setIn(c, root, 1, value);
      attrs.put(c, first, root);
      return;
    }
    Object root = target.eval(c);
    if (root == null) {
      root = new LinkedHashMap<String, Object>();
    }
    setIn(c, root, 0, value);
    target.set(c, root);
  }

  @SuppressWarnings("unchecked")
  private void setIn(RecordContext c, Object container, int from, Object value) {
    Object cur = container;
    for (int i = from; i < keys.size(); i++) {
      Object k = keys.get(i).eval(c);
      boolean last = i == keys.size() - 1;
      if (cur instanceof Map<?, ?> m && k instanceof String s) {
        Map<String, Object> map = (Map<String, Object>) m;
        if (last) {
          map.put(s, value);
          return;
        }
        Object next = map.get(s);
        if (next == null) {
          next = new LinkedHashMap<String, Object>();
          map.put(s, next);
        }
        cur = next;
      } else if (cur instanceof List<?> l && k instanceof Long idx) {
        List<Object> list = (List<Object>) l;
        checkIndex(idx, list.size());
        if (last) {
          list.set(idx.intValue(), value);
          return;
        }
        cur = list.get(idx.intValue());
      } else {
        throw new OttlEvaluationException("cannot index " + Values.typeName(cur) + " with " + Values.typeName(k));
      }
    }
  }

  private static Object index(Object v, Object k) {
    if (v instanceof Map<?, ?> m && k instanceof String s) {
      return m.get(s);
    }
    if (v instanceof List<?> l && k instanceof Long idx) {
      checkIndex(idx, l.size());
      return l.get(idx.intValue());
    }
    throw new OttlEvaluationException("cannot index " + Values.typeName(v) + " with " + Values.typeName(k));
  }

  private static void checkIndex(long idx, int size) {
    if (idx < 0 || idx >= size) {
      throw new OttlEvaluationException("index " + idx + " out of bounds for a list of " + size);
    }
  }

  private static String stringKey(Object k) {
    if (k instanceof String s) {
      return s;
    }
    throw new OttlEvaluationException("a map key must be a string, got " + Values.typeName(k));
  }
}
