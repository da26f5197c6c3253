package io.vigil.processor.anomaly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Keeps the bring-your-own ONNX model current: loads the file at start and again whenever its
 * time stamp or size changes. A file that cannot be loaded is reported and the model in use
 * stays (or the built-in detector, if none loaded yet): the pipeline never stops for a model.
 */
final class ModelWatcher implements AutoCloseable {

  private final Path file;
  private final Logger log;
  private final AtomicLong failures = new AtomicLong();
  private volatile OnnxModel current;
  private FileTime loadedTime;
  private long loadedSize = -1;

  ModelWatcher(Path file, Logger log) {
    this.file = file;
    this.log = log;
  }

  /** Loads the file if it changed since the last look. Safe to call from a timer. */
  synchronized void check() {
    FileTime time;
    long size;
    try {
      time = Files.getLastModifiedTime(file);
      size = Files.size(file);
    } catch (IOException e) {
      if (loadedSize != -2) {
        failures.incrementAndGet();
        log.error("anomaly model {} cannot be read ({}); scoring with {}", file, e.toString(),
            current == null ? "the built-in detector" : "the model loaded before");
        loadedSize = -2;
      }
      return;
    }
    if (time.equals(loadedTime) && size == loadedSize) {
      return;
    }
    loadedTime = time;
    loadedSize = size;
    try {
      OnnxModel next = OnnxModel.load(Files.readAllBytes(file), file.toString());
      OnnxModel old = current;
      current = next;
      log.info("anomaly model {} loaded: {}, metadata {}", file, next.describe(),
          next.metadata());
      if (old != null) {
        old.close();
      }
    } catch (IOException | InvalidModelException e) {
      failures.incrementAndGet();
      log.error("anomaly model {} not loaded: {}; scoring with {}", file, e.getMessage(),
          current == null ? "the built-in detector" : "the model loaded before");
    }
  }

  /** The model to score with, or null for the built-in detector. */
  OnnxModel current() {
    return current;
  }

  /** Models reported unloadable, unreadable or failing to score, since start. */
  long failures() {
    return failures.get();
  }

  void scoringFailed(RuntimeException e) {
    failures.incrementAndGet();
    log.error("anomaly model {} failed to score a batch ({}); that batch was scored by the"
        + " built-in detector", file, e.getMessage());
  }

  @Override
  public synchronized void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
