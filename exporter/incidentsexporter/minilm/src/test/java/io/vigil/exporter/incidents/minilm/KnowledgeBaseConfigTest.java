package io.vigil.exporter.incidents.minilm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.config.ConfigException;
import io.vigil.exporter.incidents.IncidentsExporterConfig;
import io.vigil.testing.ConfigTestdata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The knowledge_base block as the minilm plugins check it when the config is validated. */
class KnowledgeBaseConfigTest {

  @Test
  void goodConfigNamesTheSharedPostmortems() {
    assumeTrue(Records.postmortems().isPresent(), "skipped: no shared post-mortems");
    var cfg = (IncidentsExporterConfig) ConfigTestdata.load("good.yaml")
        .component(ComponentKind.EXPORTER, ComponentId.of("incidents")).config();
    assertThat(cfg.classifier).isEqualTo("minilm");
    assertThat(cfg.knowledgeBase.resolve().path().getFileName().toString())
        .isEqualTo("postmortems.jsonl");
    assertThat(cfg.knowledgeBase.resolve().model()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "bad-knowledge-base-unset.yaml      | exporters::incidents::knowledge_base::path: required by \"classifier: minilm\"",
    "bad-knowledge-base-missing.yaml    | exporters::incidents::knowledge_base::path: no such file: /nonexistent/postmortems.jsonl",
    "bad-knowledge-base-not-jsonl.yaml  | exporters::incidents::knowledge_base::path: cannot read src/test/resources/testdata/not-jsonl.txt",
    "bad-knowledge-base-unlabelled.yaml | exporters::incidents::knowledge_base::path: src/test/resources/testdata/unlabelled.jsonl has 2 incidents but none with a root_cause.labels entry",
    "bad-knowledge-base-both.yaml       | exporters::incidents::knowledge_base::model: set either knowledge_base::path",
    "bad-knowledge-base-model.yaml      | exporters::incidents::knowledge_base::model: no causes.json in src/test/resources/testdata",
  })
  void badKnowledgeBaseNamesTheKey(String file, String message) {
    assertThatThrownBy(() -> ConfigTestdata.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
