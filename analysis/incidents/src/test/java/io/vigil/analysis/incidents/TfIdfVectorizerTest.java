package io.vigil.analysis.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class TfIdfVectorizerTest {

  private static final List<String> TEXTS = List.of(
      "Deployment rolled back, errors seen",
      "Errors from the rollback of a deployment",
      "Fiber cut in the region",
      "Unique words only here");

  @Test
  void vocabularyKeepsStemmedTermsOfAtLeastTwoTextsMostFrequentFirst() {
    TfIdfVectorizer v = TfIdfVectorizer.fit(TEXTS, 10);
    assertThat(v.vocabulary()).containsExactly("deploy", "error");
    assertThat(TfIdfVectorizer.fit(TEXTS, 1).vocabulary()).hasSize(1);
  }

  @Test
  void vectorsHaveUnitLengthAndAreZeroForUnknownWords() {
    TfIdfVectorizer v = TfIdfVectorizer.fit(TEXTS, 10);
    float[] x = v.vector("errors errors and a deployment");
    double norm = 0;
    for (float f : x) {
      norm += f * f;
    }
    assertThat(norm).isCloseTo(1.0, offset(1e-6));
    assertThat(x[1]).isGreaterThan(x[0]); // sublinear tf: two "errors" weigh more, not double
    assertThat(x[1]).isLessThan(2 * x[0]);
    assertThat(v.vector("nothing known")).containsOnly(0f);
  }
}
