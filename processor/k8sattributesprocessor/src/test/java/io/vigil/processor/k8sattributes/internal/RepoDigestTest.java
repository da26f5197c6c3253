package io.vigil.processor.k8sattributes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which container status image IDs become {@code container.image.repo_digests}, and how. */
class RepoDigestTest {
  private static final String SHA = "sha256:" + "4f".repeat(32);

  @Test
  void aCanonicalReferenceIsNormalisedAsDockerDoes() {
    assertThat(RepoDigest.canonical("ghcr.io/open-telemetry/telemetrygen@" + SHA))
        .isEqualTo("ghcr.io/open-telemetry/telemetrygen@" + SHA);
    assertThat(RepoDigest.canonical("nginx@" + SHA)).isEqualTo("docker.io/library/nginx@" + SHA);
    assertThat(RepoDigest.canonical("bitnami/redis@" + SHA))
        .isEqualTo("docker.io/bitnami/redis@" + SHA);
    assertThat(RepoDigest.canonical("localhost:5000/team/app:1.2@" + SHA))
        .isEqualTo("localhost:5000/team/app:1.2@" + SHA);
  }

  static Stream<String> notCanonical() {
    String hex = SHA.substring("sha256:".length());
    return Stream.of("", "sha256:4f4f", hex, SHA, "docker-pullable://nginx@" + SHA,
        "nginx@sha256:4f4f", "Nginx@" + SHA, "nginx:1.25", "@" + SHA, "nginx@md5:" + hex,
        "nginx@" + SHA + "0");
  }

  @ParameterizedTest
  @MethodSource("notCanonical")
  void anythingElseGivesNoDigest(String imageId) {
    assertThat(RepoDigest.canonical(imageId)).isNull();
  }

  @Test
  void noImageIdGivesNoDigest() {
    assertThat(RepoDigest.canonical(null)).isNull();
  }
}
