package io.vigil.connector.anomaly;

import io.vigil.analysis.onnx.InvalidModelException;
import io.vigil.analysis.onnx.OnnxModel;

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
        old.close(); // closes the session once no batch holds it
      }
    } catch (IOException | InvalidModelException e) {
      failures.incrementAndGet();
      log.error("anomaly model {} not loaded: {}; scoring with {}", file, e.getMessage(),
          current == null ? "the built-in detector" : "the model loaded before");
    } catch (RuntimeException e) {
      // Anything else from onnxruntime must not escape: the scheduler would cancel every
      // later check, and a fixed model file would never be picked up.
      failures.incrementAndGet();
      log.error("anomaly model {} not loaded; scoring with {}", file,
          current == null ? "the built-in detector" : "the model loaded before", e);
    }
  }

  /** The model to score with, or null for the built-in detector. */
  OnnxModel current() {
    return current;
  }

  /**
   * The model to score one batch with, held open until the batch calls
   * {@link OnnxModel#release}, or null for the built-in detector. A reload or shutdown
   * meanwhile only retires it: the batch's release closes it.
   */
  OnnxModel acquire() {
    while (true) {
      OnnxModel m = current;
      if (m == null || m.acquire()) {
        return m;
      }
      // Closed between the read and the hold, which happens only after it stopped being
      // current: the next read sees its successor (or null).
    }
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
    OnnxModel last = current;
    current = null;
    if (last != null) {
      last.close();
    }
  }
}
