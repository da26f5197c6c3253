package io.vigil.exporter.exporterhelper;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.vigil.core.Signal;
import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.extension.filestorage.FileStorageExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The durable queue's dead-letter files: requests the destination refused for good, one file
 * per exporter and signal ({@code DIR/exporter_TYPE[_NAME]_SIGNAL/dead-letter/SIGNAL.pb} under
 * the {@code file_storage} directory), each request length-delimited as
 * {@code writeDelimitedTo} writes it, so {@code parseDelimitedFrom} reads them back one by one.
 */
public final class DeadLetters {

  private DeadLetters() {}

  /** The dead-letter file of {@code exporter}'s {@code signal} under a storage directory. */
  public static Path file(Path storageDirectory, ComponentId exporter, Signal<?> signal) {
    return storageDirectory
        .resolve(FileStorageExtension.clientName(ComponentKind.EXPORTER, exporter, signal.name()))
        .resolve("dead-letter").resolve(signal.name() + ".pb");
  }

  /** The file inside a queue's own log directory (what the queue itself writes to). */
  static Path inLog(Path logDirectory, Signal<?> signal) {
    return logDirectory.resolve("dead-letter").resolve(signal.name() + ".pb");
  }

  /**
   * The serialized requests in {@code file}, in order; none when it does not exist. A request
   * cut short at the end (a crash while writing) is left out, as it was never complete.
   */
  public static List<byte[]> read(Path file) throws IOException {
    List<byte[]> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream c = CodedInputStream.newInstance(in);
      c.setSizeLimit(Integer.MAX_VALUE);
      // Bounded by the file: each pass consumes at least one byte or ends.
      while (!c.isAtEnd()) {
        int length;
        try {
          length = c.readRawVarint32();
          out.add(c.readRawBytes(length));
        } catch (com.google.protobuf.InvalidProtocolBufferException truncated) {
          break;
        }
      }
    }
    return out;
  }

  /** Appends {@code requests}, length-delimited, and forces them to disk. */
  public static void append(Path file, List<byte[]> requests) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (byte[] r : requests) {
      out.writeUInt32NoTag(r.length);
      out.writeRawBytes(r);
    }
    out.flush();
    Files.createDirectories(file.getParent());
    locked(file, () -> {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
        // Bounded: each write makes progress or throws.
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
    });
  }

  /**
   * Renames {@code file} to {@code aside} so that later appends start a new file; false when
   * there is no file. Under the same lock as {@link #append}: an append in progress finishes
   * in the old file before the rename, and every later one opens the new path.
   */
  public static boolean moveAside(Path file, Path aside) throws IOException {
    boolean[] moved = {false};
    Files.createDirectories(file.getParent());
    locked(file, () -> {
      if (Files.exists(file)) {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        moved[0] = true;
      }
    });
    return moved[0];
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /**
   * Runs {@code action} holding an exclusive lock on a {@code .lock} file beside {@code file}
   * (never renamed, unlike the file itself), so a gateway appending and the {@code deadletter}
   * command rewriting, in two processes, take turns.
   */
  private static void locked(Path file, IoAction action) throws IOException {
    Path lockFile = file.resolveSibling(".lock");
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = null;
      // Bounded: a lock held in this JVM (a test running the command beside a gateway) is
      // released within one append; 3000 waits of 10 ms is far beyond that.
      for (int i = 0; lock == null; i++) {
        try {
          lock = ch.lock();
        } catch (OverlappingFileLockException heldHere) {
          if (i >= 3000) {
            throw new IOException("dead-letter lock " + lockFile + " held too long");
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
      }
      try {
        action.run();
      } finally {
        lock.release();
      }
    }
  }
}
