package io.vigil.exporter.incidents.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.response.action.ActionRefusedException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random incident values (quotes, backslashes, braces, control and non-BMP characters,
 * text that looks like a placeholder) into an alert's labels and annotations: the body is always
 * one JSON alert whose values are exactly the values given, expanded once; a label that renders
 * empty is absent; when all do, the action is refused, never sent half-made.
 */
class AlertmanagerAlertFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] CHARS = {"\"", "\\", "${incident.id}", "{", "}", "\n", "\0",
      "\u2028", "😀", "é", "a", " ", "]", "${"};

  @Test
  void everyBodyIsOneAlertWithTheValuesIntact() throws Exception {
    Random r = new Random(20261128L);
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      String service = random(r);
      String title = random(r);
      Map<String, String> values = new HashMap<>(Map.of("incident.service", service,
          "incident.title", title, "incident.id", "inc-" + round));
      ResponseConfig.Action a = new ResponseConfig.Action();
      a.type = "alertmanager";
      a.labels.put("service", "${incident.service}");
      a.annotations.put("summary", "${incident.title}");
      String body;
      try {
        body = AlertmanagerAlert.body(a, values, Instant.EPOCH);
      } catch (ActionRefusedException e) {
        assertThat(service).as("refused only when every label is empty").isEmpty();
        refused++;
        continue;
      }
      JsonNode alerts = JSON.readTree(body);
      assertThat(alerts.isArray()).isTrue();
      assertThat(alerts.size()).isEqualTo(1);
      assertThat(alerts.get(0).path("labels").path("service").asText()).isEqualTo(service);
      assertThat(alerts.get(0).path("annotations").path("summary").asText()).isEqualTo(title);
    }
    assertThat(refused).as("the empty case was met").isPositive();
  }

  private static String random(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(6); i > 0; i--) {
      b.append(r.nextInt(5) == 0 ? (char) r.nextInt(0x20) : CHARS[r.nextInt(CHARS.length)]);
    }
    return b.toString();
  }
}
