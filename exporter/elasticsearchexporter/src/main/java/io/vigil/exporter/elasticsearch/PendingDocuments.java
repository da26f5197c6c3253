package io.vigil.exporter.elasticsearch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of one batch across its delivery attempts: which are settled (indexed, or
 * dropped for their content) and which the next attempt must send again. Attempts can
 * overlap (one that timed out may still be answered), so every method locks.
 */
final class PendingDocuments {

  /** Why documents were dropped: error type, how many, and the first reason given. */
  record Drops(String errorType, int count, String firstReason) {}

  private final List<BulkDocument> docs;
  private final boolean[] settled;
  private final Map<String, Drops> drops = new LinkedHashMap<>();
  private int dropped;

  PendingDocuments(List<BulkDocument> docs) {
    this.docs = List.copyOf(docs);
    this.settled = new boolean[docs.size()];
  }

  /** Positions of the documents still to send. */
  synchronized List<Integer> unsettled() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < settled.length; i++) {
      if (!settled[i]) {
        out.add(i);
      }
    }
    return out;
  }

  List<BulkDocument> documents(List<Integer> positions) {
    List<BulkDocument> out = new ArrayList<>(positions.size());
    positions.forEach(p -> out.add(docs.get(p)));
    return out;
  }

  int size() {
    return docs.size();
  }

  /**
   * Records what the engine answered for the documents at {@code positions}.
   *
   * @return the drops this answer added, by error type
   */
  synchronized Map<String, Integer> apply(List<Integer> positions, List<BulkResponse.Item> items) {
    Map<String, Integer> added = new LinkedHashMap<>();
    for (int k = 0; k < positions.size(); k++) {
      int p = positions.get(k);
      if (settled[p]) {
        continue;
      }
      BulkResponse.Item item = items.get(k);
      switch (item.outcome()) {
        case INDEXED -> settled[p] = true;
        case DROPPED -> {
          settled[p] = true;
          dropped++;
          String type = item.errorType() == null ? "status_" + item.status() : item.errorType();
          added.merge(type, 1, Integer::sum);
          drops.merge(type, new Drops(type, 1, item.errorReason()),
              (a, b) -> new Drops(type, a.count() + 1, a.firstReason()));
        }
        case RETRY -> { }
      }
    }
    return added;
  }

  synchronized boolean allSettled() {
    for (boolean s : settled) {
      if (!s) {
        return false;
      }
    }
    return true;
  }

  synchronized int dropped() {
    return dropped;
  }

  /** One line for the operator: each error type, its count, and the first reason. */
  synchronized String dropSummary() {
    StringBuilder b = new StringBuilder();
    for (Drops d : drops.values()) {
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(d.count()).append(" x ").append(d.errorType()).append(": ")
          .append(d.firstReason());
    }
    return b.toString();
  }
}
