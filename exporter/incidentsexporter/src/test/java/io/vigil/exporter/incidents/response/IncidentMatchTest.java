package io.vigil.exporter.incidents.response;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.exporter.incidents.Evidence;
import io.vigil.exporter.incidents.Incident;
import io.vigil.exporter.incidents.IncidentState;
import io.vigil.exporter.incidents.ResponseConfig;
import io.vigil.exporter.incidents.Severity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentMatchTest {

  private static final Instant T = Instant.parse("2026-11-28T21:43:50Z");
  private static final String OUTAGE = "failed: (<\\*>|I/O) error on (POST|GET) request for";

  private static Evidence evidence(String service, String kind, String body) {
    return new Evidence(service + "|" + body, service + "|" + kind, kind, "logs", service, null,
        null, null, body, null, T, T.plusSeconds(5), List.of(), T, null);
  }

  private static Incident on(String origin, String title, Evidence... evidence) {
    return new Incident("inc-1", IncidentState.OPEN, Severity.of("medium"), title, origin,
        "first_evidence", T, T, T, null, null, List.of(evidence), List.of());
  }

  private static IncidentMatch match(String service, String text, String... kinds) {
    ResponseConfig.Match m = new ResponseConfig.Match();
    m.service = service;
    m.text = text;
    m.kinds = List.of(kinds);
    return new IncidentMatch(m);
  }

  @Test
  void aRuleForOneServiceReadsOnlyThatServicesEvidence() {
    // The demo run's case: storefront cannot reach orders, and an unrelated orders record
    // joined the incident. orders' own calls did not fail.
    Incident storefront = on("storefront", "new_template on storefront",
        evidence("storefront", "new_template",
            "Call to a dependency failed: I/O error on POST request for \"http://127.0.0.1:1/api/orders\""),
        evidence("orders", "rare_sequence", "orders logged 'Order <*> confirmed' after ..."));
    assertThat(match("orders", OUTAGE).matches(storefront)).isFalse();
    assertThat(match("storefront", OUTAGE).matches(storefront)).isTrue();
    assertThat(match("", OUTAGE).matches(storefront)).as("no service: any evidence").isTrue();

    Incident orders = on("storefront", "new_template on storefront",
        evidence("storefront", "new_template", "Call to a dependency failed: 502 Bad Gateway"),
        evidence("orders", "new_template",
            "Order <*> failed: <*> error on POST request for \"http://<*>:<*>\": null"));
    assertThat(match("orders", OUTAGE).matches(orders)).as("orders' own evidence").isTrue();
  }

  @Test
  void kindsAndTitleFollowTheService() {
    Incident i = on("storefront", "error_surge on storefront: 5xx",
        evidence("storefront", "error_surge", "5xx"),
        evidence("orders", "rare_sequence", "a rare sequence"));
    assertThat(match("orders", "", "error_surge").matches(i)).isFalse();
    assertThat(match("orders", "", "rare_sequence").matches(i)).isTrue();
    assertThat(match("orders", "error_surge on").matches(i)).as("the title is storefront's")
        .isFalse();
    assertThat(match("storefront", "error_surge on").matches(i)).isTrue();
    assertThat(match("payments", "").matches(i)).as("no evidence from payments").isFalse();
  }
}
