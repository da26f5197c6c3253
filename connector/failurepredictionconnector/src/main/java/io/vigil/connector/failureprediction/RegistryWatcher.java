package io.vigil.connector.failureprediction;

import io.vigil.analysis.onnx.InvalidModelException;
import io.vigil.analysis.onnx.OnnxModel;
import io.vigil.featurerows.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Keeps the model the registry's {@code current} names loaded: at start and whenever
 * {@code current} names another version (vigil-train renames it into place, so a check sees
 * the old version or the new, never half). A version that cannot be loaded or does not fit
 * is reported and the model in use stays; with none, nothing is predicted.
 */
final class RegistryWatcher implements AutoCloseable {

  private final ModelRegistry registry;
  private final String model;
  private final List<String> rowNames;
  private final double windowSeconds;
  private final double threshold;
  private final Logger log;
  private final AtomicLong failures = new AtomicLong();
  private volatile PredictorModel current;
  /** The version last tried, loaded or not: a bad version is reported once, not every check. */
  private String tried;

  RegistryWatcher(ModelRegistry registry, String model, List<String> rowNames,
      double windowSeconds, double threshold, Logger log) {
    this.registry = registry;
    this.model = model;
    this.rowNames = rowNames;
    this.windowSeconds = windowSeconds;
    this.threshold = threshold;
    this.log = log;
  }

  /** Loads the current version if it changed since the last look. Safe to call from a timer. */
  synchronized void check() {
    Optional<ModelRegistry.Version> v;
    try {
      v = registry.current(model);
    } catch (IOException e) {
      report("registry " + registry.root() + ": model " + model + " unreadable ("
          + e.getMessage() + ")");
      return;
    }
    if (v.isEmpty()) {
      if (tried == null) {
        log.warn("failureprediction: no current version of model {} in {} yet; nothing is"
            + " predicted until vigil-train publishes one", model, registry.root());
        tried = "";
      }
      return;
    }
    String label = model + "/" + v.get().version();
    if (label.equals(tried)) {
      return;
    }
    tried = label;
    OnnxModel loaded = null;
    try {
      loaded = OnnxModel.load(Files.readAllBytes(v.get().modelFile()), label);
      PredictorModel next = PredictorModel.of(loaded, label, rowNames, windowSeconds, threshold);
      PredictorModel old = current;
      current = next;
      log.info("failureprediction: model {} loaded ({}, threshold {}, horizon {} s)", label,
          loaded.describe(), next.threshold(), next.horizonSeconds());
      if (old != null) {
        old.onnx().close(); // closes once no scoring holds it
      }
    } catch (IOException | InvalidModelException | NumberFormatException e) {
      if (loaded != null) {
        loaded.close();
      }
      report("model " + label + " not loaded: " + e.getMessage());
    } catch (RuntimeException e) {
      // Anything else from onnxruntime must not escape: the timer would stop checking.
      if (loaded != null) {
        loaded.close();
      }
      report("model " + label + " not loaded: " + e);
    }
  }

  private void report(String problem) {
    failures.incrementAndGet();
    PredictorModel m = current;
    log.error("failureprediction: {}; predicting with {}", problem,
        m == null ? "no model (nothing is predicted)" : m.version());
  }

  /** The model to score one batch with, held until {@code onnx().release()}, or null. */
  PredictorModel acquire() {
    while (true) {
      PredictorModel m = current;
      if (m == null || m.onnx().acquire()) {
        return m;
      }
    }
  }

  PredictorModel current() {
    return current;
  }

  long failures() {
    return failures.get();
  }

  @Override
  public synchronized void close() {
    PredictorModel last = current;
    current = null;
    if (last != null) {
      last.onnx().close();
    }
  }
}
