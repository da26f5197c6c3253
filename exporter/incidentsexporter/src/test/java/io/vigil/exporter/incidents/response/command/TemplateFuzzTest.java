package io.vigil.exporter.incidents.response.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.exporter.incidents.response.BodyTemplate;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import io.vigil.exporter.incidents.response.action.PlainTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random incident values (quotes, backslashes, shell and template syntax, control
 * characters, non-BMP text) through the three ways a value enters an action: a command's
 * arguments stay one argument per template element with exactly the value inside, refused only
 * for a NUL or an option the operator did not write; a webhook body stays valid JSON with the
 * value intact; a value that looks like a placeholder is never expanded a second time.
 */
class TemplateFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NAMES = PlainTemplate.NAMES.toArray(String[]::new);
  private static final String[] PIECES = {"\"", "'", "\\", "$", "${incident.id}", "${", "}",
      "`", "$(id)", ";", "|", "&&", " ", "\n", "\t", "\0", "-", "--", "*", "~", "é", "😀",
      "\u2028", "{", "[", "a", "Z", "9", "/", "..", "%s", "\r\n"};

  private static String value(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(r.nextInt(4) == 0 ? (char) r.nextInt(0x30) : PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  private static Map<String, String> values(Random r) {
    Map<String, String> v = new HashMap<>();
    for (String name : NAMES) {
      v.put(name, value(r));
    }
    return v;
  }

  /** A template element: literal text around zero or more known placeholders. */
  private static String template(Random r, boolean json) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      if (r.nextBoolean()) {
        b.append("${").append(NAMES[r.nextInt(NAMES.length)]).append('}');
      } else {
        b.append(json ? "x-" : new String[] {"-", "--opt=", "a", " ", "b/"}[r.nextInt(5)]);
      }
    }
    return b.toString();
  }

  /** What expanding should give: each placeholder replaced once, left to right. */
  private static String expected(String template, Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int at = template.indexOf("${", i);
      int end = at < 0 ? -1 : template.indexOf('}', at);
      if (at < 0 || end < 0) {
        out.append(template.substring(i));
        break;
      }
      out.append(template, i, at).append(values.get(template.substring(at + 2, end)));
      i = end + 1;
    }
    return out.toString();
  }

  @Test
  void commandArgumentsNeverSplitMergeOrExpandTwice() {
    Random r = new Random(20260301L);
    int refused = 0;
    for (int round = 0; round < 5000; round++) {
      Map<String, String> values = values(r);
      List<String> argv = new ArrayList<>(List.of("/usr/bin/printf"));
      int n = r.nextInt(5);
      for (int i = 0; i < n; i++) {
        argv.add(template(r, false));
      }
      List<String> wanted = new ArrayList<>();
      boolean refuse = false;
      for (int i = 0; i < argv.size(); i++) {
        String e = i == 0 ? argv.get(0) : expected(argv.get(i), values);
        refuse |= i > 0 && (e.indexOf('\0') >= 0 || e.startsWith("-")
            && !argv.get(i).startsWith("-"));
        wanted.add(e);
      }
      if (refuse) {
        refused++;
        assertThatThrownBy(() -> CommandActions.render(argv, values))
            .as("round %d: %s", round, argv).isInstanceOf(ActionRefusedException.class);
      } else {
        assertThat(CommandActions.render(argv, values)).as("round %d: %s", round, argv)
            .isEqualTo(wanted);
      }
    }
    assertThat(refused).as("the refusals were exercised, not just the happy path")
        .isBetween(100, 4000);
  }

  @Test
  void webhookBodyStaysValidJsonWithEachValueIntact() throws Exception {
    Random r = new Random(7L);
    for (int round = 0; round < 5000; round++) {
      Map<String, String> values = values(r);
      String a = NAMES[r.nextInt(NAMES.length)];
      String b = NAMES[r.nextInt(NAMES.length)];
      String body = BodyTemplate.render("{\"a\": \"${" + a + "}\", \"b\": \"pre ${" + b
          + "} post\"}", values);
      JsonNode n = JSON.readTree(body);
      assertThat(n.size()).as("round %d: no field injected: %s", round, body).isEqualTo(2);
      assertThat(n.get("a").asText()).isEqualTo(values.get(a));
      assertThat(n.get("b").asText()).isEqualTo("pre " + values.get(b) + " post");
    }
  }
}
