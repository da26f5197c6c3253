package io.vigil.processor.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The config's regexes run on RE2/J: a pattern that backtracks catastrophically in
 * {@code java.util.regex} (the Jazzer regex-injection finding) costs a linear scan here, and
 * masking keeps its meaning (every match is masked).
 */
class UserRegexTest {

  private static Redactor redactor(List<String> blockedValues) {
    RedactionConfig c = new RedactionConfig();
    c.allowAllKeys = true;
    c.blockedValues = blockedValues;
    c.validate();
    return new Redactor(c);
  }

  @Test
  void aCatastrophicPatternTakesLinearTime() {
    // (a+)+$ against a's and a final '!': 2^n paths for a backtracking engine; with n = 100,000
    // it would not end in this test's lifetime.
    Redactor r = redactor(List.of("(a+)+$", "(x|x)*y"));
    String body = "a".repeat(100_000) + "!";
    String xs = "x".repeat(100_000);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThat(r.body(body, new Redactor.Tally())).isSameAs(body);
      assertThat(r.body(xs, new Redactor.Tally())).isSameAs(xs);
    });
    assertThat(r.body("aaa", new Redactor.Tally())).isEqualTo(Redactor.MASK);
  }

  @Test
  void masksEveryMatchInGoSyntax() {
    Redactor r = redactor(List.of("(?i)secret-[0-9a-f]{4}", "\\bpin=\\d+"));
    Redactor.Tally t = new Redactor.Tally();
    assertThat(r.body("k1=SECRET-00ff k2=secret-beef pin=1234 pin=x", t))
        .isEqualTo("k1=**** k2=**** **** pin=x");
    assertThat(t.masked).containsExactly("body");
  }
}
