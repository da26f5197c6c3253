package io.vigil.analysis.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An anomaly model loaded into onnxruntime, checked against what the processor feeds: one
 * float input holding a window of n values per row, and one float score per row. Scores whole
 * batches in one call.
 *
 * <p>The input may be {@code [batch, n]} (or {@code [batch]}, n = 1), or a sequence of n steps
 * with one feature each: {@code [batch, n, 1]} (what {@code torch.onnx.export} gives for an
 * LSTM with {@code batch_first=True}), or time-major {@code [n, batch, 1]} when the model's
 * metadata says {@code vigil.input_layout=time_major}. n must be fixed. The batch dimension
 * may be symbolic, or fixed (an export without dynamic axes): then the rows go through in runs
 * of that size, the last one padded. The score is the output {@code [batch, 1]} or
 * {@code [batch]}: the one named by the metadata {@code vigil.score_output}, else the first.
 */
public final class OnnxModel implements AutoCloseable {

  /** Metadata key naming the output that holds the score (default: the first output). */
  public static final String SCORE_OUTPUT = "vigil.score_output";
  /** Metadata key saying how a rank-3 input is laid out: {@code batch_major} (default) or
   * {@code time_major}. */
  public static final String INPUT_LAYOUT = "vigil.input_layout";

  /** How a row's window sits in the input tensor. */
  public enum Layout {
    /** {@code [batch]}: one value per row. */
    VECTOR("[batch]"),
    /** {@code [batch, n]}. */
    MATRIX("[batch, n]"),
    /** {@code [batch, n, 1]}: n steps of one feature, batch first. */
    BATCH_MAJOR("[batch, n, 1]"),
    /** {@code [n, batch, 1]}: n steps of one feature, time first. */
    TIME_MAJOR("[n, batch, 1]");

    private final String shape;

    Layout(String shape) {
      this.shape = shape;
    }

    @Override
    public String toString() {
      return shape;
    }
  }

  private static final String EXPECTED = "expected [batch, n] with a fixed n, or a sequence"
      + " [batch, n, 1] of n steps of one value (time-major [n, batch, 1] with metadata "
      + INPUT_LAYOUT + "=time_major), of float";

  private final OrtSession session;
  private final String input;
  private final String output;
  private final Layout layout;
  private final int features;
  private final int fixedBatch;
  private final Map<String, String> metadata;
  /**
   * One hold for the owner until {@link #close}, plus one per batch scoring; the session is
   * closed when the last is released. Closing it while another thread is inside
   * {@code session.run} frees native memory that run is using (a crash, not an exception), and
   * the watcher replaces a model at any time while the pipeline scores.
   */
  private final AtomicInteger holds = new AtomicInteger(1);
  private final AtomicBoolean ownerReleased = new AtomicBoolean();
  private volatile boolean closed;

  private OnnxModel(OrtSession session, String input, String output, Layout layout,
      int features, int fixedBatch, Map<String, String> metadata) {
    this.session = session;
    this.input = input;
    this.output = output;
    this.layout = layout;
    this.features = features;
    this.fixedBatch = fixedBatch;
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
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (inputs.size() != 1 || session.getNumOutputs() < 1) {
        throw new InvalidModelException(source + " has inputs " + inputs.keySet() + " and "
            + session.getNumOutputs() + " outputs; the anomaly processor feeds one input ("
            + EXPECTED + ") and reads one float score output [batch, 1]");
      }
      Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
      String layoutName = metadata.getOrDefault(INPUT_LAYOUT, "batch_major");
      if (!layoutName.equals("batch_major") && !layoutName.equals("time_major")) {
        throw new InvalidModelException(source + ": metadata " + INPUT_LAYOUT + " is \""
            + layoutName + "\", expected batch_major or time_major");
      }
      TensorInfo t = floatTensor(in.getValue(), source, "input " + in.getKey(), EXPECTED);
      long[] shape = t.getShape();
      String what = source + ": input " + in.getKey() + " has shape " + Arrays.toString(shape);
      boolean timeMajor = layoutName.equals("time_major");
      if (timeMajor && shape.length != 3) {
        throw new InvalidModelException(what + ", but metadata " + INPUT_LAYOUT
            + "=time_major needs [n, batch, 1]");
      }
      Layout layout = switch (shape.length) {
        case 1 -> Layout.VECTOR;
        case 2 -> Layout.MATRIX;
        case 3 -> timeMajor ? Layout.TIME_MAJOR : Layout.BATCH_MAJOR;
        default -> throw new InvalidModelException(what + " (rank " + shape.length + "); "
            + EXPECTED);
      };
      int batchAxis = layout == Layout.TIME_MAJOR ? 1 : 0;
      int stepAxis = layout == Layout.TIME_MAJOR ? 0 : 1;
      if (shape.length == 3 && shape[2] != 1) {
        throw new InvalidModelException(what + ": " + (shape[2] < 0 ? "a symbolic number of"
            : shape[2]) + " features per step, but the processor feeds one value per step; "
            + EXPECTED);
      }
      int n = 1;
      if (layout != Layout.VECTOR) {
        if (shape[stepAxis] <= 0) {
          throw new InvalidModelException(what + ": the window length n (axis " + stepAxis
              + ") is not fixed; " + EXPECTED + (layout == Layout.BATCH_MAJOR
                  && shape[0] > 0 ? " (a time-major model declares it in its metadata)" : ""));
        }
        n = (int) Math.min(shape[stepAxis], (1 << 26) + 1);
      }
      long batch = shape[batchAxis] > 0 ? shape[batchAxis] : 0;
      if (Math.max(batch, 1) * n > 1 << 26) {
        throw new InvalidModelException(what + ": too large a window or fixed batch to feed");
      }
      int fixedBatch = (int) batch;

      Map<String, NodeInfo> outputs = session.getOutputInfo();
      String out = metadata.get(SCORE_OUTPUT);
      if (out == null) {
        out = outputs.keySet().iterator().next();
      } else if (!outputs.containsKey(out)) {
        throw new InvalidModelException(source + ": metadata " + SCORE_OUTPUT + " names \""
            + out + "\", but the outputs are " + outputs.keySet());
      }
      String hint = outputs.size() > 1 && !metadata.containsKey(SCORE_OUTPUT)
          ? " (the model has outputs " + outputs.keySet() + "; metadata " + SCORE_OUTPUT
              + " names the score)" : "";
      TensorInfo o = floatTensor(outputs.get(out), source, "output " + out,
          "expected a float score tensor [batch, 1] or [batch]" + hint);
      long[] oShape = o.getShape();
      if (!(oShape.length == 1 || oShape.length == 2 && oShape[1] == 1)) {
        throw new InvalidModelException(source + ": output " + out + " has shape "
            + Arrays.toString(oShape) + ", expected a score [batch, 1] or [batch]" + hint);
      }
      return new OnnxModel(session, in.getKey(), out, layout, n, fixedBatch, metadata);
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

  private static TensorInfo floatTensor(NodeInfo info, String source, String what,
      String expected) {
    if (!(info.getInfo() instanceof TensorInfo t)) {
      throw new InvalidModelException(source + ": " + what + " is " + info.getInfo() + "; "
          + expected);
    }
    if (t.type != OnnxJavaType.FLOAT) {
      throw new InvalidModelException(source + ": " + what + " is " + t.onnxType + " with shape "
          + Arrays.toString(t.getShape()) + "; " + expected);
    }
    return t;
  }

  /** The window length n: values per row. */
  public int features() {
    return features;
  }

  public Layout layout() {
    return layout;
  }

  /** The batch size the model is fixed to, or 0 if any batch size goes. */
  public int fixedBatch() {
    return fixedBatch;
  }

  /** The output read as the score. */
  public String scoreOutput() {
    return output;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** The signature, for logs: e.g. {@code input window [batch, n, 1] n=32, output score}. */
  public String describe() {
    return "input " + input + " " + layout + " n=" + features
        + (fixedBatch > 0 ? " batch=" + fixedBatch : "") + ", score output " + output;
  }

  /**
   * One score per row (a row is one window, oldest value first).
   *
   * @throws IllegalStateException when onnxruntime fails, or the model gives a score of the
   *     wrong shape or NaN
   */
  public float[] score(float[][] rows) {
    for (float[] r : rows) {
      if (r.length != features) {
        throw new IllegalArgumentException("row of " + r.length + " features, model takes "
            + features);
      }
    }
    float[] out = new float[rows.length];
    int chunk = fixedBatch > 0 ? fixedBatch : Math.max(rows.length, 1);
    for (int from = 0; from < rows.length; from += chunk) {
      scoreChunk(rows, from, Math.min(rows.length - from, chunk), chunk, out);
    }
    return out;
  }

  /** Scores rows[from, from + count) as one run of {@code batch} rows (the rest zeros). */
  private void scoreChunk(float[][] rows, int from, int count, int batch, float[] out) {
    FloatBuffer buf = ByteBuffer.allocateDirect(batch * features * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    long[] shape = switch (layout) {
      case VECTOR -> new long[] {batch};
      case MATRIX -> new long[] {batch, features};
      case BATCH_MAJOR -> new long[] {batch, features, 1};
      case TIME_MAJOR -> new long[] {features, batch, 1};
    };
    if (layout == Layout.TIME_MAJOR) {
      for (int step = 0; step < features; step++) {
        for (int r = 0; r < count; r++) {
          buf.put(step * batch + r, rows[from + r][step]);
        }
      }
    } else {
      for (int r = 0; r < count; r++) {
        buf.put(r * features, rows[from + r]);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, buf, shape);
        OrtSession.Result result = session.run(Map.of(input, tensor), Set.of(output))) {
      OnnxValue v = result.get(output).orElseThrow();
      if (!(v instanceof OnnxTensor scores) || scores.getInfo().type != OnnxJavaType.FLOAT) {
        throw new IllegalStateException("model output " + output + " is " + v.getInfo());
      }
      long[] got = scores.getInfo().getShape();
      if (scores.getInfo().getNumElements() != batch || got.length == 0 || got[0] != batch) {
        throw new IllegalStateException("model output " + output + " has shape "
            + Arrays.toString(got) + " for a batch of " + batch + ", expected [" + batch
            + ", 1]");
      }
      FloatBuffer s = scores.getFloatBuffer();
      for (int r = 0; r < count; r++) {
        float x = s.get(r);
        if (Float.isNaN(x)) {
          throw new IllegalStateException("model output " + output + " is NaN");
        }
        out[from + r] = x;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("onnxruntime failed to score: " + e.getMessage(), e);
    }
  }

  /**
   * Takes a hold for one batch, so the session stays open until {@link #release}; false when
   * the model was closed (or is closing) and must not be used.
   */
  public boolean acquire() {
    for (int n = holds.get(); n > 0; n = holds.get()) {
      if (holds.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives back a hold taken by {@link #acquire}; the last one closes the session. */
  public void release() {
    if (holds.decrementAndGet() == 0) {
      closed = true;
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Whether the session was closed. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Gives up the owner's hold: the session closes now, or when the last batch holding the
   * model releases it. Idempotent.
   */
  @Override
  public void close() {
    if (ownerReleased.compareAndSet(false, true)) {
      release();
    }
  }
}
