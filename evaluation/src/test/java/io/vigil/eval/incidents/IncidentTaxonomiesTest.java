package io.vigil.eval.incidents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.analysis.incidents.Cause;
import io.vigil.analysis.incidents.CauseTaxonomy;
import io.vigil.analysis.incidents.Incident;
import io.vigil.analysis.incidents.IncidentJsonl;
import io.vigil.analysis.incidents.ResolutionTaxonomy;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The two taxonomies measured on the shared post-mortems. */
class IncidentTaxonomiesTest {

  private static List<Incident> incidents() {
    var file = IncidentsEvaluation.sharedFile();
    assumeTrue(file.isPresent(), "skipped: ../shared/data/incidents/postmortems.jsonl is absent"
        + " (the shared labelled data lives beside the project, see docs/evaluation.md)");
    return IncidentJsonl.read(file.get());
  }

  @Test
  void atMostTenPercentOfIncidentsAreLeftWithOnlyOtherResolutions() {
    List<Incident> incidents = incidents();
    long onlyOther = incidents.stream()
        .filter(i -> ResolutionTaxonomy.of(i.mitigations()).isEmpty()).count();
    System.out.printf("incidents whose mitigations are all \"other\": %d of %d%n", onlyOther,
        incidents.size());
    assertThat(onlyOther / (double) incidents.size()).isLessThanOrEqualTo(0.10);
  }

  @Test
  void everyCauseClassOccursAndMostIncidentsMapToOne() {
    List<Incident> incidents = incidents();
    Set<Cause> seen = incidents.stream().map(i -> CauseTaxonomy.of(i.rootCauses()))
        .flatMap(Optional::stream).collect(Collectors.toCollection(() -> EnumSet.noneOf(Cause.class)));
    assertThat(seen).containsExactlyInAnyOrder(Cause.values());
    long mapped = incidents.stream().filter(i -> CauseTaxonomy.of(i.rootCauses()).isPresent()).count();
    assertThat(mapped / (double) incidents.size()).isGreaterThan(0.8);
  }
}
