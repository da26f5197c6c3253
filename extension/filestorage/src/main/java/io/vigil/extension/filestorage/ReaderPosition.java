package io.vigil.extension.filestorage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A reader's committed position in {@code readers/NAME.pos}: magic, sequence number, CRC32C.
 * Saved by writing a temporary file, forcing it, and renaming it over the old one atomically, so
 * after any crash the file holds either the old position or the new one, never a mix.
 */
final class ReaderPosition {

  static final String SUFFIX = ".pos";
  private static final int MAGIC = 0x56475031; // "VGP1"
  private static final int BYTES = 16;

  private ReaderPosition() {}

  /** The saved position, or null if the file is damaged (the caller decides what that means). */
  static Long load(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (b.length != BYTES) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.wrap(b);
    if (buf.getInt() != MAGIC) {
      return null;
    }
    long seq = buf.getLong();
    int crc = buf.getInt();
    return crc == crcOf(seq) && seq >= 0 ? seq : null;
  }

  static void save(Path file, long seq, boolean force) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    ByteBuffer buf = ByteBuffer.allocate(BYTES).putInt(MAGIC).putLong(seq).putInt(crcOf(seq));
    buf.flip();
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (force) {
        ch.force(true);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (force) {
      Directories.force(file.getParent());
    }
  }

  private static int crcOf(long seq) {
    CRC32C c = new CRC32C();
    c.update(ByteBuffer.allocate(8).putLong(seq).flip());
    return (int) c.getValue();
  }
}
