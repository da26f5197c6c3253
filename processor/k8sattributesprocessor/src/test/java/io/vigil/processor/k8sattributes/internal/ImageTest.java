package io.vigil.processor.k8sattributes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.processor.k8sattributes.internal.PodExtractor.Image;
import org.junit.jupiter.api.Test;

/** Container images split as the Collector splits them, and their service.version. */
class ImageTest {
  private static final String DIGEST = "sha256:" + "b2".repeat(32);

  @Test
  void nameAsWrittenTagLatestByDefaultVersionFromTagAndDigest() {
    assertThat(Image.parse("nginx")).isEqualTo(new Image("nginx", "latest", null));
    assertThat(Image.parse("nginx:1.25")).isEqualTo(new Image("nginx", "1.25", "1.25"));
    assertThat(Image.parse("localhost:5000/team/app"))
        .isEqualTo(new Image("localhost:5000/team/app", "latest", null));
    assertThat(Image.parse("ghcr.io/o/telemetrygen:0.112.0@" + DIGEST)).isEqualTo(
        new Image("ghcr.io/o/telemetrygen", "0.112.0", "0.112.0@" + DIGEST));
    assertThat(Image.parse("ghcr.io/o/telemetrygen@" + DIGEST))
        .isEqualTo(new Image("ghcr.io/o/telemetrygen", "latest", DIGEST));
  }

  @Test
  void noRepositoryNoImage() {
    assertThat(Image.parse(null)).isNull();
    assertThat(Image.parse(" ")).isNull();
    assertThat(Image.parse(":1.0")).isNull();
    assertThat(Image.parse("@" + DIGEST)).isNull();
  }
}
