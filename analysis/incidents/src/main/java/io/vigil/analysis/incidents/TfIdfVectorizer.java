package io.vigil.analysis.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * TF-IDF vectors over Lucene's English analysis (the same stemming and stop words as the BM25
 * index): sublinear term frequency times smoothed IDF, unit length. The vocabulary is the
 * {@code maxTerms} terms found in most training texts (at least two), so the regression that
 * reads these vectors beside the embedding stays small.
 *
 * @param vocabulary the terms, one per vector position
 * @param idf the inverse document frequency of each term in the training texts
 */
public record TfIdfVectorizer(List<String> vocabulary, double[] idf) {

  private static final Analyzer ANALYZER = new EnglishAnalyzer();

  public static TfIdfVectorizer fit(List<String> texts, int maxTerms) {
    Map<String, Integer> df = new HashMap<>();
    for (String t : texts) {
      new HashSet<>(terms(t)).forEach(term -> df.merge(term, 1, Integer::sum));
    }
    List<String> vocabulary = df.entrySet().stream().filter(e -> e.getValue() >= 2)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
            .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
        .limit(maxTerms).map(Map.Entry::getKey).toList();
    double[] idf = new double[vocabulary.size()];
    for (int j = 0; j < idf.length; j++) {
      idf[j] = Math.log((1.0 + texts.size()) / (1.0 + df.get(vocabulary.get(j)))) + 1;
    }
    return new TfIdfVectorizer(vocabulary, idf);
  }

  public float[] vector(String text) {
    Map<String, Integer> position = new HashMap<>();
    for (int j = 0; j < vocabulary.size(); j++) {
      position.put(vocabulary.get(j), j);
    }
    double[] v = new double[vocabulary.size()];
    for (String term : terms(text)) {
      Integer j = position.get(term);
      if (j != null) {
        v[j]++;
      }
    }
    double norm = 0;
    for (int j = 0; j < v.length; j++) {
      v[j] = v[j] > 0 ? (1 + Math.log(v[j])) * idf[j] : 0;
      norm += v[j] * v[j];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      out[j] = norm == 0 ? 0f : (float) (v[j] / norm);
    }
    return out;
  }

  /** The analysed terms of a text, in order (the BM25 index queries with the same). */
  static List<String> terms(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
