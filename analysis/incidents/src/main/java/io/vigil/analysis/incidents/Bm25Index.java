package io.vigil.analysis.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * An in-memory Lucene index of incident texts, searched with BM25 (Lucene's default
 * similarity, made explicit). English analysis (stemming, stop words) so "rolled back" and
 * "rollback" meet. Documents are numbered in the order given.
 */
final class Bm25Index {

  static final String TEXT = "text";
  static final String POSITION = "position";
  static final String LABEL = "label";

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  /** @param labels one label per text (null for none): the lexical classifier's classes */
  Bm25Index(List<String> texts, List<String> labels) {
    try {
      ByteBuffersDirectory dir = new ByteBuffersDirectory();
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (int i = 0; i < texts.size(); i++) {
          Document doc = new Document();
          doc.add(new TextField(TEXT, texts.get(i), Field.Store.NO));
          doc.add(new StringField(POSITION, Integer.toString(i), Field.Store.YES));
          if (labels != null && labels.get(i) != null) {
            doc.add(new StringField(LABEL, labels.get(i), Field.Store.YES));
          }
          w.addDocument(doc);
        }
      }
      reader = DirectoryReader.open(dir);
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  DirectoryReader reader() {
    return reader;
  }

  Analyzer analyzer() {
    return analyzer;
  }

  /** Positions of the best-matching texts, best first: every query term is a SHOULD clause. */
  List<Integer> search(String text, int k) {
    try {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      int clauses = 0;
      for (String term : terms(text)) {
        if (clauses++ >= IndexSearcher.getMaxClauseCount()) {
          break;
        }
        q.add(new TermQuery(new Term(TEXT, term)), BooleanClause.Occur.SHOULD);
      }
      List<Integer> out = new ArrayList<>();
      for (ScoreDoc sd : searcher.search(q.build(), k).scoreDocs) {
        out.add(Integer.parseInt(searcher.storedFields().document(sd.doc).get(POSITION)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> terms(String text) {
    return new LinkedHashSet<>(TfIdfVectorizer.terms(text));
  }
}
