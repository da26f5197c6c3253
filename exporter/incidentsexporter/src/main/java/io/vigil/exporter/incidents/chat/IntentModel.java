package io.vigil.exporter.incidents.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.classification.ClassificationResult;
import org.apache.lucene.classification.KNearestNeighborClassifier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Intent matching for free-text chat: a k-nearest-neighbour classifier (Lucene's) over a few
 * hundred labelled utterances, on two views of the masked text: stemmed words, and the character
 * 2- to 4-grams of each word, which carry a typo ("acknowlege", "stauts") to its neighbours.
 * Chosen over the MiniLM sentence embeddings of the {@code minilm} plugin because this module
 * must not depend on it (the model and its runtime stay out of a distribution without the
 * plugin), and because the command vocabulary is small and lexical: its held-out accuracy is in
 * the README.
 *
 * <p>Before the vote, a word one edit from a single word of the training vocabulary is read as
 * that word ({@link WordCorrector}), so a typo votes through the word's own examples at full
 * weight, not only through the character grams at 0.25.
 *
 * <p>The index is built in memory at start from the bundled {@code intents.jsonl} (a few
 * milliseconds); the model is immutable after that and safe to share across threads.
 */
public final class IntentModel implements AutoCloseable {

  /** Labelled examples shipped with the exporter: the training part of the utterance set. */
  public static final String BUNDLED = "/io/vigil/exporter/incidents/chat/intents.jsonl";
  /** Neighbours that vote, and the weight of the character-gram view against the words. */
  static final int K = 5;
  static final float GRAM_BOOST = 0.25f;
  private static final String WORDS = "words";
  private static final String GRAMS = "grams";
  private static final String INTENT = "intent";

  /** A labelled utterance: the text as a person wrote it and what they meant. */
  public record Example(String text, Intent intent, String incident, String service) {}

  /**
   * The best intent, its share of the neighbours' score-weighted votes (0..1), and the next
   * best.
   */
  public record Prediction(Intent intent, double confidence, Intent runnerUp,
      Map<Intent, Double> shares) {

    public Prediction(Intent intent, double confidence, Intent runnerUp) {
      this(intent, confidence, runnerUp, Map.of(intent, confidence));
    }

    /** The intent's share of the neighbours' votes, 0 when none voted for it. */
    public double share(Intent i) {
      return shares.getOrDefault(i, 0.0);
    }
  }

  private final DirectoryReader reader;
  private final KNearestNeighborClassifier knn;
  private final Collection<String> trainingServices;
  private final Analyzer analyzer;
  private final WordCorrector corrector;
  private final Set<String> cues;

  private IntentModel(List<Example> examples, int k, float gramBoost) throws IOException {
    Analyzer analyzer = analyzer();
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    List<String> services = new ArrayList<>();
    examples.forEach(e -> {
      if (e.service() != null && !services.contains(e.service())) {
        services.add(e.service());
      }
    });
    this.trainingServices = List.copyOf(services);
    this.analyzer = analyzer;
    List<String> masks = examples.stream()
        .map(e -> Utterance.of(e.text(), trainingServices).masked()).toList();
    Set<String> vocabulary = new HashSet<>();
    masks.forEach(m -> vocabulary.addAll(
        Arrays.asList(m.toLowerCase(Locale.ROOT).split("[^a-z]+"))));
    this.corrector = new WordCorrector(vocabulary);
    this.cues = cues(examples, masks);
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
      for (int n = 0; n < examples.size(); n++) {
        Example e = examples.get(n);
        String masked = masks.get(n);
        Document d = new Document();
        d.add(new TextField(WORDS, masked, Field.Store.NO));
        d.add(new TextField(GRAMS, masked, Field.Store.NO));
        d.add(new StringField(INTENT, e.intent().label(), Field.Store.YES));
        w.addDocument(d);
      }
    }
    reader = DirectoryReader.open(dir);
    String[] fields = gramBoost > 0 ? new String[] {WORDS, GRAMS + "^" + gramBoost}
        : new String[] {WORDS};
    knn = new KNearestNeighborClassifier(reader, new BM25Similarity(), analyzer, null, k, 1, 1,
        INTENT, fields);
  }

  /** Trains on {@code examples}. */
  public static IntentModel trained(List<Example> examples) {
    return trained(examples, K, GRAM_BOOST);
  }

  static IntentModel trained(List<Example> examples, int k, float gramBoost) {
    try {
      return new IntentModel(examples, k, gramBoost);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot index the intent examples", e);
    }
  }

  /** Trains on the bundled examples. */
  public static IntentModel bundled() {
    try (InputStream in = IntentModel.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLED + " is missing from the class path");
      }
      return trained(read(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads JSON Lines of {@code {text, intent, incident?, service?}}. */
  public static List<Example> read(InputStream in) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Example> out = new ArrayList<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = json.readTree(line);
      out.add(new Example(n.path("text").asText(), Intent.of(n.path("intent").asText()),
          n.hasNonNull("incident") ? n.get("incident").asText() : null,
          n.hasNonNull("service") ? n.get("service").asText() : null));
    }
    return out;
  }

  /** The services named in the training examples (what a test masks with). */
  Collection<String> trainingServices() {
    return trainingServices;
  }

  /**
   * True when the utterance has a word (typos corrected, stemmed) that the training examples
   * use for some command and hardly ever in chatter: without one, and without an incident or
   * service named, a message is not about Vigil whatever its nearest neighbours say ("brb",
   * "who is on call this weekend").
   */
  public boolean mentionsACommandWord(Utterance u) {
    return !commandWords(u).isEmpty();
  }

  /** The words of {@code u} that are cues, for tests. */
  List<String> commandWords(Utterance u) {
    return stems(corrector.correct(u.masked())).stream().filter(cues::contains).toList();
  }

  /**
   * The stemmed words that say what a command is about: used by at least two examples of
   * commands, at least three times as often as by chatter, and not a function word (every
   * command uses "the" or "is" more than chatter does, and says nothing by it).
   */
  private Set<String> cues(List<Example> examples, List<String> masks) {
    Map<String, Integer> command = new HashMap<>();
    Map<String, Integer> chatter = new HashMap<>();
    for (int n = 0; n < examples.size(); n++) {
      Map<String, Integer> into = examples.get(n).intent() == Intent.UNKNOWN ? chatter : command;
      new HashSet<>(stems(masks.get(n))).forEach(w -> into.merge(w, 1, Integer::sum));
    }
    Set<String> out = new HashSet<>();
    Set<String> function = new HashSet<>();
    EnglishAnalyzer.ENGLISH_STOP_WORDS_SET
        .forEach(w -> function.addAll(stems(new String((char[]) w))));
    function.addAll(stems(MORE_FUNCTION_WORDS));
    command.forEach((w, c) -> {
      if (c >= 2 && c >= 3 * chatter.getOrDefault(w, 0) && !function.contains(w)
          && w.chars().anyMatch(Character::isLetter)) {
        out.add(w);
      }
    });
    return out;
  }

  /** Function words beyond Lucene's English stop words that chatter shares with commands. */
  private static final String MORE_FUNCTION_WORDS = "what what's whats can ok okay i me my we";

  private List<String> stems(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(WORDS, text)) {
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

  /** Classifies an utterance whose entities are already masked; typos are corrected first. */
  public Prediction classify(Utterance u) {
    if (u.masked().isBlank()) {
      return new Prediction(Intent.UNKNOWN, 0, Intent.UNKNOWN);
    }
    List<ClassificationResult<BytesRef>> classes;
    try {
      // Sorted best first; getClasses(text, max) fails when fewer classes than max are found.
      classes = knn.getClasses(corrector.correct(u.masked()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (classes == null || classes.isEmpty()) {
      // No word or gram in common with any example.
      return new Prediction(Intent.UNKNOWN, 0, Intent.UNKNOWN);
    }
    Intent best = Intent.of(classes.get(0).getAssignedClass().utf8ToString());
    Intent next = classes.size() > 1
        ? Intent.of(classes.get(1).getAssignedClass().utf8ToString()) : best;
    // Lucene's score is the class's rank-weighted share of k; over the classes found it becomes
    // a share of 1, so a unanimous neighbourhood is 1 whatever k is.
    double sum = classes.stream().mapToDouble(ClassificationResult::getScore).sum();
    Map<Intent, Double> shares = new EnumMap<>(Intent.class);
    for (ClassificationResult<BytesRef> c : classes) {
      shares.merge(Intent.of(c.getAssignedClass().utf8ToString()),
          sum > 0 ? Math.min(1, Math.max(0, c.getScore() / sum)) : 0, Double::sum);
    }
    return new Prediction(best, shares.get(best), next, Map.copyOf(shares));
  }

  private static Analyzer analyzer() {
    Analyzer words = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer t = new StandardTokenizer();
        return new TokenStreamComponents(t, new PorterStemFilter(new LowerCaseFilter(t)));
      }
    };
    Analyzer grams = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer t = new StandardTokenizer();
        TokenStream s = new NGramTokenFilter(new LowerCaseFilter(t), 2, 4, true);
        return new TokenStreamComponents(t, s);
      }
    };
    return new PerFieldAnalyzerWrapper(words, Map.of(GRAMS, grams));
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
