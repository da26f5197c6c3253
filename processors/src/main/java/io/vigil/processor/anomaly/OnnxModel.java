package io.vigil.processor.anomaly;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;

/**
 * An anomaly model loaded into onnxruntime, checked against the signature the processor feeds:
 * one float input [batch, n] and one float output [batch, 1] (or [batch]). Scores whole batches
 * in one call.
 */
public final class OnnxModel implements AutoCloseable {

  private final OrtSession session;
  private final String input;
  private final String output;
  private final int features;
  private final Map<String, String> metadata;

  private OnnxModel(OrtSession session, String input, String output, int features,
      Map<String, String> metadata) {
    this.session = session;
    this.input = input;
    this.output = output;
    this.features = features;
    this.metadata = metadata;
  }

  /**
   * Loads and checks a model.
   *
   * @throws InvalidModelException naming what is wrong: not ONNX, or the wrong signature
   */
  public static OnnxModel load(byte[] bytes, String source) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try {
      session = env.createSession(bytes, new OrtSession.SessionOptions());
    } catch (OrtException e) {
      throw new InvalidModelException(source + " is not a model onnxruntime can load: "
          + e.getMessage());
    }
    try {
      if (session.getNumInputs() != 1 || session.getNumOutputs() < 1) {
        throw new InvalidModelException(source + " has " + session.getNumInputs()
            + " inputs and " + session.getNumOutputs() + " outputs; the anomaly processor needs"
            + " one float input [batch, features] and a float score output [batch, 1]");
      }
      Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
      Map.Entry<String, NodeInfo> out = session.getOutputInfo().entrySet().iterator().next();
      int n = floatMatrixWidth(in.getValue(), source, "input " + in.getKey());
      floatMatrixWidth(out.getValue(), source, "output " + out.getKey());
      return new OnnxModel(session, in.getKey(), out.getKey(), n,
          session.getMetadata().getCustomMetadata());
    } catch (OrtException | RuntimeException e) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // Already failing; the first error is the one to report.
      }
      if (e instanceof InvalidModelException ime) {
        throw ime;
      }
      throw new InvalidModelException(source + ": cannot read its signature: " + e.getMessage());
    }
  }

  private static int floatMatrixWidth(NodeInfo info, String source, String what) {
    if (!(info.getInfo() instanceof TensorInfo t)
        || t.type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      throw new InvalidModelException(source + ": " + what + " is " + info.getInfo()
          + ", expected a float tensor");
    }
    long[] shape = t.getShape();
    if (shape.length == 2 && shape[1] > 0) {
      return (int) shape[1];
    }
    if (shape.length == 1) {
      return 1;
    }
    throw new InvalidModelException(source + ": " + what + " has shape "
        + java.util.Arrays.toString(shape) + ", expected [batch, n] with a fixed n");
  }

  public int features() {
    return features;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** One score per row. */
  public float[] score(float[][] rows) {
    for (float[] r : rows) {
      if (r.length != features) {
        throw new IllegalArgumentException("row of " + r.length + " features, model takes "
            + features);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      OnnxValue v = result.get(output).orElseThrow();
      Object value = v.getValue();
      float[] out = new float[rows.length];
      if (value instanceof float[][] m) {
        for (int i = 0; i < out.length; i++) {
          out[i] = m[i][0];
        }
      } else if (value instanceof float[] flat) {
        System.arraycopy(flat, 0, out, 0, out.length);
      } else {
        throw new IllegalStateException("model output is " + value.getClass());
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime failed to score: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
