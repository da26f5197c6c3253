package io.vigil.exporter.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kibana/vigil-saved-objects.ndjson against what the exporter installs: every field the
 * data views and saved searches name exists in the ecs mapping, the data views cover the
 * index patterns of the templates, and trace.id links to the Jaeger UI through the placeholder.
 */
class KibanaSavedObjectsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The module's directory is the working directory of surefire. */
  private static final Path NDJSON = Path.of("..", "..", "deploy", "kibana",
      "vigil-saved-objects.ndjson");
  /** {@code field : value} in a KQL query. */
  private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z@_][\\w.@]*)\\s*:");

  private static List<JsonNode> objects;
  private static Set<String> mappedFields;

  @BeforeAll
  static void read() throws IOException {
    objects = new ArrayList<>();
    for (String line : Files.readAllLines(NDJSON)) {
      if (!line.isBlank()) {
        objects.add(JSON.readTree(line));
      }
    }
    mappedFields = new LinkedHashSet<>();
    flatten("", IndexTemplates.mappings(new EcsMapping()).get("properties"), mappedFields);
  }

  /** Dotted paths of the leaf fields of a mapping's properties. */
  private static void flatten(String prefix, JsonNode properties, Set<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String path = prefix + f.getKey();
      if (f.getValue().has("properties")) {
        flatten(path + ".", f.getValue().get("properties"), out);
      } else {
        out.add(path);
      }
    }
  }

  private List<JsonNode> ofType(String type) {
    return objects.stream().filter(o -> o.path("type").asText().equals(type)).toList();
  }

  @Test
  void everyReferencedFieldExistsInTheInstalledMapping() throws IOException {
    Set<String> referenced = new LinkedHashSet<>();
    for (JsonNode view : ofType("index-pattern")) {
      JsonNode a = view.get("attributes");
      referenced.add(a.get("timeFieldName").asText());
      JSON.readTree(a.get("fieldFormatMap").asText()).fieldNames()
          .forEachRemaining(referenced::add);
    }
    for (JsonNode search : ofType("search")) {
      JsonNode a = search.get("attributes");
      a.get("columns").forEach(c -> referenced.add(c.asText()));
      a.get("sort").forEach(s -> referenced.add(s.get(0).asText()));
      JsonNode source = JSON.readTree(
          a.at("/kibanaSavedObjectMeta/searchSourceJSON").asText());
      Matcher m = KQL_FIELD.matcher(source.at("/query/query").asText());
      while (m.find()) {
        referenced.add(m.group(1));
      }
    }
    assertThat(referenced).contains("trace.id", "service.name", "log.level", "message",
        "@timestamp");
    assertThat(mappedFields).containsAll(referenced);
  }

  @Test
  void dataViewsCoverTheIndexPatternsOfTheTemplates() {
    ElasticsearchExporterConfig c = new ElasticsearchExporterConfig();
    assertThat(ofType("index-pattern")).extracting(v -> v.at("/attributes/title").asText())
        .containsExactlyInAnyOrder(IndexNames.logs(c).indexPattern(),
            IndexNames.traces(c).indexPattern());
  }

  @Test
  void traceIdRendersAsALinkToTheJaegerUiPlaceholder() throws IOException {
    for (JsonNode view : ofType("index-pattern")) {
      JsonNode format = JSON.readTree(view.at("/attributes/fieldFormatMap").asText())
          .get("trace.id");
      assertThat(format.get("id").asText()).isEqualTo("url");
      assertThat(format.at("/params/urlTemplate").asText())
          .isEqualTo("__JAEGER_UI_URL__/trace/{{value}}");
    }
  }

  @Test
  void savedSearchesReferToDataViewsInTheSameFile() {
    Set<String> ids = new LinkedHashSet<>();
    objects.forEach(o -> ids.add(o.get("id").asText()));
    assertThat(ofType("search")).isNotEmpty().allSatisfy(s -> {
      assertThat(s.get("references")).isNotEmpty();
      s.get("references").forEach(r -> assertThat(ids).contains(r.get("id").asText()));
    });
  }
}
