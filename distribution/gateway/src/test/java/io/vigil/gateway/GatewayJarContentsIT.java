package io.vigil.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the shaded gateway jar carries: every component this distribution lists, nothing of the
 * training library (tree trainers, ONNX writers, Tribuo's ONNX protobuf classes), which is for
 * building models, not for running the gateway, and native libraries for Linux on x86-64 and
 * aarch64 only, the systems its images and nodes run.
 */
class GatewayJarContentsIT {

  /** A shared library's name, whatever the system: .so (.so.N), .dll, .dylib, .jnilib, .a. */
  private static final Pattern NATIVE_LIBRARY =
      Pattern.compile("\\.(so(\\.\\d+)*|dll|dylib|jnilib|a)$");

  /** The bundled jars' names for the two (linux-x64, linux/amd64, linux_aarch_64, ...). */
  private static final Pattern LINUX_X64_OR_AARCH64 =
      Pattern.compile("^(?!.*android).*(linux|epoll).*(x86[-_]64|x64|amd64|aarch[-_]?64)");

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

  @Test
  void carriesNativeLibrariesForLinuxOnX64AndAarch64Only() throws IOException {
    List<String> natives = entries().stream()
        .filter(n -> NATIVE_LIBRARY.matcher(n).find()).toList();
    assertThat(natives).as("native libraries").isNotEmpty()
        .allSatisfy(n -> assertThat(LINUX_X64_OR_AARCH64.matcher(n.toLowerCase(Locale.ROOT))
            .find()).as(n + " is for another system or architecture").isTrue());
    assertThat(entries()).as("macOS debug symbols").noneMatch(n -> n.contains(".dSYM/"));
    // What the ONNX models (anomaly connector, minilm classifier) load, for both.
    assertThat(natives).contains(
        "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
        "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
        "native/lib/linux-x86_64/cpu/libtokenizers.so",
        "native/lib/linux-aarch64/cpu/libtokenizers.so");
  }
}
