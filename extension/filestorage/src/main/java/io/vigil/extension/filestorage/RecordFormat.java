package io.vigil.extension.filestorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * One record on disk: {@code magic(4) length(4) seq(8) crc32c(4) payload(length)}, big-endian.
 *
 * <p>The CRC covers length, sequence number and payload, so a flipped bit anywhere, a torn write
 * or stale bytes are all caught. The magic and the sequence number are what make skipping a
 * damaged record safe: after damage the scanner searches for the next magic whose record passes
 * its CRC and whose sequence number is above the last good one (and below the next segment's
 * first), so it knows exactly how many records it lost and never accepts old data again.
 */
final class RecordFormat {

  static final int MAGIC = 0x56474C31; // "VGL1"
  static final int HEADER_BYTES = 20;
  /** How much the resync scan reads at a time. */
  private static final int SCAN_WINDOW = 64 * 1024;

  private RecordFormat() {}

  /** A record that passed every check, and where it lies in its file. */
  static final class Found {
    final long seq;
    final byte[] payload;
    final long start;
    final long end;

    Found(long seq, byte[] payload, long start, long end) {
      this.seq = seq;
      this.payload = payload;
      this.start = start;
      this.end = end;
    }
  }

  static int sizeOf(byte[] payload) {
    return HEADER_BYTES + payload.length;
  }

  static ByteBuffer header(long seq, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.putInt(MAGIC).putInt(payload.length).putLong(seq).putInt(crc(payload.length, seq, payload));
    return b.flip();
  }

  static int crc(int length, long seq, byte[] payload) {
    CRC32C c = new CRC32C();
    ByteBuffer b = ByteBuffer.allocate(12).putInt(length).putLong(seq).flip();
    c.update(b);
    c.update(payload, 0, payload.length);
    return (int) c.getValue();
  }

  /** The record starting exactly at {@code offset}, or null if the bytes there are not one. */
  static Found readAt(FileChannel ch, long offset, long limit) throws IOException {
    if (offset < 0 || limit - offset < HEADER_BYTES) {
      return null;
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
    if (!readFully(ch, h, offset)) {
      return null;
    }
    h.flip();
    if (h.getInt() != MAGIC) {
      return null;
    }
    int length = h.getInt();
    long seq = h.getLong();
    int crc = h.getInt();
    // The length is checked against what the file holds before anything is allocated, so a
    // damaged length can neither read past the segment nor ask for gigabytes of heap.
    if (length < 0 || length > limit - offset - HEADER_BYTES || seq < 1) {
      return null;
    }
    ByteBuffer p = ByteBuffer.allocate(length);
    if (!readFully(ch, p, offset + HEADER_BYTES)) {
      return null;
    }
    byte[] payload = p.array();
    if (crc(length, seq, payload) != crc) {
      return null;
    }
    return new Found(seq, payload, offset, offset + HEADER_BYTES + length);
  }

  /**
   * The first valid record at or after {@code from} whose sequence number lies strictly between
   * {@code afterSeq} and {@code beforeSeq}; null if there is none before {@code limit}.
   */
  static Found resync(FileChannel ch, long from, long limit, long afterSeq, long beforeSeq)
      throws IOException {
    ByteBuffer window = ByteBuffer.allocate(SCAN_WINDOW);
    // Each pass moves `pos` forward by at least one byte, so the scan ends at `limit`.
    for (long pos = from; pos <= limit - HEADER_BYTES; ) {
      window.clear();
      int n = ch.read(window, pos);
      if (n < 4) {
        return null;
      }
      window.flip();
      int last = n - 4;
      for (int i = 0; i <= last; i++) {
        if (window.getInt(i) == MAGIC) {
          Found f = readAt(ch, pos + i, limit);
          if (f != null && f.seq > afterSeq && f.seq < beforeSeq) {
            return f;
          }
        }
      }
      pos += last + 1;
    }
    return null;
  }

  private static boolean readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        return false;
      }
      p += n;
    }
    return true;
  }
}
