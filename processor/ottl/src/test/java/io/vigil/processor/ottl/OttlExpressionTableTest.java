package io.vigil.processor.ottl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table in {@code ottl-expressions.txt}: conditions with their value on a fixture record,
 * statements with what must hold after them, and malformed texts with the line, column and
 * message of their error.
 */
class OttlExpressionTableTest {

  static Stream<Arguments> rows() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        OttlExpressionTableTest.class.getResourceAsStream("/testdata/ottl-expressions.txt"), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split("\\|", 4);
        out.add(Arguments.of(n, cols[0].trim(), OttlContext.byKey(cols[1].trim()), cols[2].trim(), cols[3].trim()));
      }
    }
    return out.stream();
  }

  @Test
  void theTableHasAtLeastAHundredRowsAndFiftyErrors() throws IOException {
    List<Arguments> all = rows().toList();
    assertThat(all).hasSizeGreaterThanOrEqualTo(100);
    assertThat(all.stream().filter(a -> ((String) a.get()[4]).startsWith("error "))).hasSizeGreaterThanOrEqualTo(50);
  }

  @ParameterizedTest(name = "line {0}: {1} {2} {3} -> {4}")
  @MethodSource("rows")
  void row(int line, String kind, OttlContext context, String text, String expected) {
    Fixtures f = new Fixtures();
    RecordContext c = f.context(context);
    if (expected.startsWith("error ")) {
      String[] parts = expected.substring(6).split(" ", 2);
      String[] pos = parts[0].split(":");
      Runnable parse = kind.equals("cond") ? () -> Ottl.condition(text, context) : () -> Ottl.statement(text, context);
      assertThatThrownBy(parse::run)
          .isInstanceOf(OttlSyntaxException.class)
          .satisfies(e -> {
            OttlSyntaxException s = (OttlSyntaxException) e;
            assertThat(s.getMessage()).contains(parts[1]);
            assertThat(s.line() + ":" + s.column()).as(s.getMessage()).isEqualTo(pos[0] + ":" + pos[1]);
          });
      return;
    }
    if (kind.equals("cond")) {
      OttlCondition cond = Ottl.condition(text, context);
      switch (expected.toLowerCase(Locale.ROOT)) {
        case "true" -> assertThat(cond.matches(c)).isTrue();
        case "false" -> assertThat(cond.matches(c)).isFalse();
        case "eval-error" -> assertThatThrownBy(() -> cond.matches(c)).isInstanceOf(OttlEvaluationException.class);
        default -> fail("bad expected column " + expected);
      }
      return;
    }
    Ottl.statement(text, context).execute(c);
    assertThat(Ottl.condition(expected, context).matches(c)).as("after " + text + ": " + expected).isTrue();
  }
}
