package io.vigil.analysis.incidents;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (quantised), run in-process with ONNX Runtime from
 * the model inside the langchain4j jar: nothing is downloaded at run time. Vectors have 384
 * dimensions and unit length, so a dot product is the cosine similarity. Texts longer than the
 * model's window are split and averaged by langchain4j.
 */
public final class SentenceEmbedder {

  public static final int DIMENSION = 384;
  /** Stored in saved models so that a model is never used with vectors of another embedder. */
  public static final String MODEL_NAME = "all-MiniLM-L6-v2-q";

  private static final int CACHE_SIZE = 4096;

  private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  /**
   * The same incident text is embedded when a model is trained, when it is queried and, in
   * evaluations, once per fold; the model is deterministic, so a small cache saves that work.
   */
  private final Map<String, float[]> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  public float[] embed(String text) {
    return embedAll(List.of(text)).get(0);
  }

  public List<float[]> embedAll(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    List<String> missing = new ArrayList<>();
    synchronized (cache) {
      for (String t : texts) {
        if (!cache.containsKey(t) && !missing.contains(t)) {
          missing.add(t);
        }
      }
    }
    if (!missing.isEmpty()) {
      List<TextSegment> segments = missing.stream()
          .map(t -> TextSegment.from(t.isBlank() ? "(empty)" : t)).toList();
      var embeddings = model.embedAll(segments).content();
      synchronized (cache) {
        for (int i = 0; i < missing.size(); i++) {
          cache.put(missing.get(i), normalised(embeddings.get(i).vector()));
        }
      }
    }
    synchronized (cache) {
      for (String t : texts) {
        float[] v = cache.get(t);
        if (v == null) { // evicted by a concurrent caller between the two blocks
          v = normalised(model.embed(t.isBlank() ? "(empty)" : t).content().vector());
        }
        out.add(v.clone());
      }
    }
    return out;
  }

  /** Unit length whatever the model returns, so that cosine = dot product holds by design. */
  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = norm == 0 ? 0f : (float) (v[i] / norm);
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
