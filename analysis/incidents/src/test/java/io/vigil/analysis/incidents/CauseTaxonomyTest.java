package io.vigil.analysis.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CauseTaxonomyTest {

  private static RootCauseLabel l(String l1, String l2, String l3) {
    return new RootCauseLabel(l1, l2, l3);
  }

  @Test
  void mapsTheLayersOntoTheSevenClasses() {
    assertThat(CauseTaxonomy.of(l("internal causes", "software bugs", "config"))).contains(Cause.CONFIG);
    assertThat(CauseTaxonomy.of(l("internal causes", "software bugs", "code change")))
        .contains(Cause.CODE_CHANGE);
    assertThat(CauseTaxonomy.of(l("internal causes", "software bugs", "payload flood")))
        .contains(Cause.OVERLOAD);
    assertThat(CauseTaxonomy.of(l("internal causes", "software bugs", "resource race")))
        .contains(Cause.OTHER_SOFTWARE_BUG);
    assertThat(CauseTaxonomy.of(l("internal causes", "software bugs", null)))
        .contains(Cause.OTHER_SOFTWARE_BUG);
    assertThat(CauseTaxonomy.of(l("external causes", "hardware failures", "power outage")))
        .contains(Cause.HARDWARE);
    assertThat(CauseTaxonomy.of(l("external causes", "hardware failures", "fiber cut")))
        .contains(Cause.NETWORK);
    assertThat(CauseTaxonomy.of(l("external causes", "insufficient resource", "CPU")))
        .contains(Cause.OVERLOAD);
    assertThat(CauseTaxonomy.of(l("external causes", "third-party failures", null)))
        .contains(Cause.THIRD_PARTY);
  }

  @Test
  void unknownLabelsMapToNothingAndTheFirstMappedLabelWins() {
    assertThat(CauseTaxonomy.of(l("unknown", null, null))).isEmpty();
    assertThat(CauseTaxonomy.of(l("external causes", "others", null))).isEmpty();
    assertThat(CauseTaxonomy.of(List.of(l("unknown", null, null),
        l("external causes", "excessive flow", null),
        l("internal causes", "software bugs", "config")))).contains(Cause.OVERLOAD);
    assertThat(CauseTaxonomy.of(List.of())).isEmpty();
  }
}
