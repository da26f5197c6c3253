package io.vigil.exporter.exporterhelper;

import com.google.protobuf.Message;
import io.vigil.core.RequestSplitter;
import io.vigil.core.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a request larger than {@code sending_queue::batch::max_size} into requests of at most
 * max_size, counted in items or serialized bytes. Only an oversized request is decoded and
 * re-encoded for this; everything else travels as it was queued.
 */
final class MaxSizeSplitter {

  private MaxSizeSplitter() {}

  /** Whether a request of {@code items} items and {@code bytes} bytes is above max_size. */
  static boolean oversized(BatchSettings b, long items, long bytes) {
    return b != null && b.maxSize > 0 && (b.countsBytes() ? bytes : items) > b.maxSize;
  }

  /** {@code request} in pieces of at most max_size, in order; itself when it fits. */
  static <T extends Message> List<T> split(Signal<T> signal, T request, BatchSettings b) {
    if (b == null || b.maxSize <= 0) {
      return List.of(request);
    }
    if (!b.countsBytes()) {
      return RequestSplitter.split(signal, request, b.maxSize);
    }
    List<T> out = new ArrayList<>();
    splitBytes(signal, request, b.maxSize, out, 0);
    return out;
  }

  /**
   * By size: first into as many equal item counts as the bytes suggest, then any piece still
   * too large in halves. A single item larger than max goes alone: it cannot be cut.
   */
  private static <T extends Message> void splitBytes(
      Signal<T> signal, T request, int max, List<T> out, int depth) {
    int size = request.getSerializedSize();
    int items = signal.itemCount(request);
    if (size <= max || items <= 1 || depth > 40) {
      out.add(request);
      return;
    }
    long pieces = depth == 0 ? (size + max - 1L) / max : 2;
    int perPiece = (int) Math.max(1, (items + pieces - 1) / pieces);
    for (T piece : RequestSplitter.split(signal, request, perPiece)) {
      splitBytes(signal, piece, max, out, depth + 1);
    }
  }
}
