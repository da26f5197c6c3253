package io.vigil.processor.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * An item's attributes while actions run: reads go to the original list, the first write copies
 * it. Writes of a value equal to the present one are no-ops, so an action list that changes
 * nothing hands back the very list it was given and the caller can keep its message unchanged.
 * Order is kept as the Collector's map keeps it: a replaced value stays in place, a new key goes
 * last.
 */
final class AttributeList {
  private final List<KeyValue> original;
  private List<KeyValue> copy;

  AttributeList(List<KeyValue> original) {
    this.original = original;
  }

  List<KeyValue> result() {
    return copy == null ? original : copy;
  }

  private List<KeyValue> current() {
    return copy == null ? original : copy;
  }

  private List<KeyValue> writable() {
    if (copy == null) {
      copy = new ArrayList<>(original);
    }
    return copy;
  }

  int size() {
    return current().size();
  }

  String keyAt(int i) {
    return current().get(i).getKey();
  }

  private int indexOf(String key) {
    List<KeyValue> l = current();
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  AnyValue get(String key) {
    int i = indexOf(key);
    return i < 0 ? null : current().get(i).getValue();
  }

  boolean contains(String key) {
    return indexOf(key) >= 0;
  }

  void put(String key, AnyValue value) {
    int i = indexOf(key);
    if (i < 0) {
      writable().add(KeyValue.newBuilder().setKey(key).setValue(value).build());
    } else if (!current().get(i).getValue().equals(value)) {
      writable().set(i, KeyValue.newBuilder().setKey(key).setValue(value).build());
    }
  }

  void remove(String key) {
    int i = indexOf(key);
    if (i >= 0) {
      writable().remove(i);
    }
  }
}
