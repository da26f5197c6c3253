package io.vigil.extension.filestorage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing a directory, which is what makes a created, renamed or deleted file durable. */
final class Directories {

  private Directories() {}

  static void force(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) cannot open a directory; their file systems journal metadata
      // themselves, so there is nothing further to force there.
      if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }
}
