package io.vigil.exporter.incidents.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BodyTemplateTest {

  @Test
  void valuesAreJsonEscapedSoATitleCannotBreakOrInjectFields() throws Exception {
    String title = "db said \"x\", \"admin\": true\n\\ $1 ${incident.id}";
    String out = BodyTemplate.render("{\"title\": \"${incident.title}\", \"id\": \"${incident.id}\"}",
        Map.of("incident.title", title, "incident.id", "inc-7"));
    JsonNode n = new ObjectMapper().readTree(out);
    assertThat(n.size()).as("no injected field").isEqualTo(2);
    assertThat(n.path("title").asText()).isEqualTo(title);
    assertThat(n.path("id").asText()).isEqualTo("inc-7");
  }

  @Test
  void unknownPlaceholderIsRefusedNamingIt() {
    assertThatThrownBy(() -> BodyTemplate.check("{\"x\": \"${incident.serivce}\"}"))
        .hasMessageStartingWith("unknown placeholder ${incident.serivce}; known: incident.cause,");
  }
}
