package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the shaded gateway jar carries: every component this distribution lists, and nothing of
 * the training library (tree trainers, ONNX writers, Tribuo's ONNX protobuf classes), which is
 * for building models, not for running the gateway.
 */
class GatewayJarContentsIT {

  private static List<String> entries() throws IOException {
    Path jar = Path.of("target", "vigil-gateway.jar");
    assertThat(jar).exists();
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  void carriesNoTrainingCodeAndNoTribuo() throws IOException {
    List<String> names = entries();
    assertThat(names).as("entries").hasSizeGreaterThan(1000);
    assertThat(names).noneMatch(n -> n.startsWith("io/vigil/analysis/training/"));
    assertThat(names).noneMatch(n -> n.startsWith("org/tribuo/"));
    assertThat(names).noneMatch(n -> n.startsWith("ai/onnx/proto/"));
  }

  @Test
  void carriesTheRuntimeSideOfAnalysis() throws IOException {
    assertThat(entries()).contains(
        "io/vigil/analysis/anomaly/NeighbourDetector.class",
        "io/vigil/analysis/logtemplate/TemplateMiner.class",
        "io/vigil/analysis/onnx/OnnxModel.class",
        "io/vigil/connector/anomaly/AnomalyConnectorFactory.class");
  }
}
