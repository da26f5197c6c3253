package io.vigil.analysis.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResolutionTaxonomyTest {

  @Test
  void theMoreSpecificIntentWins() {
    assertThat(ResolutionTaxonomy.of("roll back the configuration change"))
        .isEqualTo(ResolutionCategory.ROLL_BACK);
    assertThat(ResolutionTaxonomy.of("Fix the misconfiguration"))
        .isEqualTo(ResolutionCategory.CHANGE_CONFIGURATION);
    assertThat(ResolutionTaxonomy.of("deploy a platform hotfix"))
        .isEqualTo(ResolutionCategory.FIX_AND_DEPLOY);
    assertThat(ResolutionTaxonomy.of("restore power")).isEqualTo(ResolutionCategory.RESTORE_HARDWARE);
    assertThat(ResolutionTaxonomy.of("scaled out backend instances"))
        .isEqualTo(ResolutionCategory.ADD_CAPACITY);
    assertThat(ResolutionTaxonomy.of("reroute network traffic"))
        .isEqualTo(ResolutionCategory.SHED_OR_REDIRECT_LOAD);
    assertThat(ResolutionTaxonomy.of("perform a failover to a secondary database"))
        .isEqualTo(ResolutionCategory.FAIL_OVER);
    assertThat(ResolutionTaxonomy.of("restart service")).isEqualTo(ResolutionCategory.RESTART);
    assertThat(ResolutionTaxonomy.of("self-healed")).isEqualTo(ResolutionCategory.WAIT_FOR_RECOVERY);
    assertThat(ResolutionTaxonomy.of("add monitoring")).isEqualTo(ResolutionCategory.OTHER);
  }

  @Test
  void otherIsNeverAnIncidentsResolution() {
    assertThat(ResolutionTaxonomy.of(List.of("add monitoring", "rollback")))
        .containsExactly(ResolutionCategory.ROLL_BACK);
    assertThat(ResolutionTaxonomy.of(List.of("address issue"))).isEmpty();
  }
}
