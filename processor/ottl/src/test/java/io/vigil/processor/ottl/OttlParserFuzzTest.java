package io.vigil.processor.ottl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated texts from the expression table, random token soup and pathological nesting through
 * the parser, compiler and evaluator: every input either compiles or fails with an
 * OttlSyntaxException whose position lies inside the text; evaluation either answers or fails
 * with an OttlEvaluationException; nothing hangs.
 */
class OttlParserFuzzTest {
  private static final String[] PIECES = {"(", ")", "[", "]", "{", "}", "\"", "\\", ",", ".", ":", "=",
      "==", "!=", "<", ">=", "+", "-", "*", "/", " and ", " or ", " not ", " where ", "nil", "true", "0x",
      "0x0f", "1", "2.5", "-3", "1e9", "name", "attributes", "[\"k\"]", "span.", "resource.", "IsMatch(",
      "Concat(", "set(", "SPAN_KIND_SERVER", "\"s\"", "é", "\n", "\t", "'", "&", "#"};

  @Test
  void mutatedTableTextsNeverCrash() throws IOException {
    List<String> seeds = OttlExpressionTableTest.rows().map(a -> (String) a.get()[3]).toList();
    Random r = new Random(27);
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < 1500; i++) {
        String text = mutate(seeds.get(r.nextInt(seeds.size())), r);
        check(text, OttlContext.values()[r.nextInt(OttlContext.values().length)]);
      }
    });
  }

  @Test
  void randomTokenSoupNeverCrashes() {
    Random r = new Random(5);
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < 3000; i++) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(20);
        for (int k = 0; k < n; k++) {
          b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        check(b.toString(), OttlContext.SPAN);
      }
    });
  }

  @Test
  void pathologicalNestingAndLengthAreRefusedWithAPosition() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      check("(".repeat(100_000) + "true" + ")".repeat(100_000), OttlContext.SPAN);
      check("not ".repeat(50_000) + "true", OttlContext.SPAN);
      check("1" + " + 1".repeat(50_000) + " == 2", OttlContext.SPAN);
      check("true" + " and true".repeat(100_000), OttlContext.SPAN);
      check("attributes" + "[\"a\"]".repeat(10_000) + " == nil", OttlContext.SPAN);
      check("set(attributes[\"x\"], " + "[".repeat(10_000) + ")", OttlContext.SPAN);
      check("\"" + "\\\\".repeat(20_000) + "\" == \"\"", OttlContext.SPAN);
      check("name == \"" + "a".repeat(200_000) + "\"", OttlContext.SPAN);
    });
  }

  private static void check(String text, OttlContext context) {
    for (boolean statement : new boolean[] {false, true}) {
      try {
        if (statement) {
          OttlStatement s = Ottl.statement(text, context);
          try {
            s.execute(new Fixtures().context(context));
          } catch (OttlEvaluationException expected) {
            // A statement may fail on the record; error_mode decides what follows.
          }
        } else {
          OttlCondition c = Ottl.condition(text, context);
          try {
            c.matches(new Fixtures().context(context));
          } catch (OttlEvaluationException expected) {
            // As above.
          }
        }
      } catch (OttlSyntaxException e) {
        String[] lines = text.split("\n", -1);
        assertThat(e.line()).as(text).isBetween(1, lines.length);
        assertThat(e.column()).as(text + " -> " + e.getMessage()).isBetween(1, lines[e.line() - 1].length() + 1);
        assertThat(e.detail()).isNotBlank();
      }
    }
  }

  private static String mutate(String s, Random r) {
    StringBuilder b = new StringBuilder(s);
    int edits = 1 + r.nextInt(3);
    for (int i = 0; i < edits; i++) {
      int at = b.length() == 0 ? 0 : r.nextInt(b.length());
      switch (r.nextInt(5)) {
        case 0 -> {
          if (b.length() > 0) {
            b.deleteCharAt(at);
          }
        }
        case 1 -> b.insert(at, PIECES[r.nextInt(PIECES.length)]);
        case 2 -> b.setLength(at);
        case 3 -> {
          int end = Math.min(b.length(), at + 1 + r.nextInt(8));
          b.insert(at, b.substring(at, end));
        }
        default -> {
          if (b.length() > 1) {
            int other = r.nextInt(b.length());
            char c = b.charAt(at);
            b.setCharAt(at, b.charAt(other));
            b.setCharAt(other, c);
          }
        }
      }
    }
    return b.toString();
  }
}
