package io.vigil.gateway.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.testing.ChildCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The minor version of a kubectl client, read offline ({@code version --client}). */
final class KubectlVersion {

  private KubectlVersion() {}

  static int clientMinor(Path kubectl) throws IOException, InterruptedException {
    ChildCommand.Result r = ChildCommand.run(List.of(kubectl.toString(), "version", "--client",
        "-o", "json"), Duration.ofSeconds(30));
    if (r.exit() != 0) {
      throw new IllegalStateException(kubectl + " version --client failed: " + r.output());
    }
    // Vendors' builds append to the minor ("32+"); stderr may carry warnings before the JSON.
    String json = r.output().substring(r.output().indexOf('{'));
    String minor = new ObjectMapper().readTree(json).at("/clientVersion/minor").asText();
    return Integer.parseInt(minor.replaceAll("\\D.*", ""));
  }
}
