package io.vigil.analysis.onnx;

/** A model file that cannot serve as an anomaly model; the message says why. */
public final class InvalidModelException extends RuntimeException {

  public InvalidModelException(String message) {
    super(message);
  }
}
