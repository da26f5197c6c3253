package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.testing.ChildCommand;
import io.vigil.testing.FreePort;
import io.vigil.testing.ImagePrerequisites;
import io.vigil.testing.OciImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the gateway image, as a container runtime would start it but with what this machine
 * has: the layers unpacked into a root file system, and the image's entrypoint run as the
 * image's user under chroot, in namespaces of its own (unshare). It validates the node agent's
 * ConfigMap config with the DaemonSet's JVM flags and serves /health. (The agent image's test
 * is agent/dist's AgentImageIT, which builds after the agent jar.)
 *
 * <p>The image is the one this build made when it ran with {@code -Pimages} (property {@code
 * vigil.gateway.image}, set by that profile: CI's case), else deploy/images/target's. Skipped,
 * saying why, when it was not built or the tools (root, unshare, chroot, tar) are missing;
 * with {@code vigil.images.required=true} (also set by {@code -Pimages}) those fail instead.
 */
class GatewayImageIT {

  /** A shared library's name, whatever the system: .so (.so.N), .dll, .dylib, .jnilib, .a. */
  private static final Pattern NATIVE_LIBRARY =
      Pattern.compile("\\.(so(\\.\\d+)*|dll|dylib|jnilib|a)$");

  private static final Path IMAGES = Repo.DEPLOY.resolve("images").resolve("target");

  @TempDir static Path work;

  /** Per test: surefire reports a class skipped in {@code @BeforeAll} as "Tests run: 0". */
  @BeforeEach
  void tools() {
    ImagePrerequisites.needRootAndTools();
  }

  private static OciImage gateway;

  /** The gateway image, unpacked once for the tests (unpacking takes seconds). */
  private static OciImage gateway() throws Exception {
    if (gateway == null) {
      gateway = OciImage.unpack(ImagePrerequisites.tarball(gatewayImage()),
          Files.createDirectories(work.resolve("gateway")));
    }
    return gateway;
  }

  private static Path gatewayImage() {
    String built = System.getProperty("vigil.gateway.image", "");
    return built.isBlank() ? IMAGES.resolve("vigil-gateway.tar") : Path.of(built);
  }

  @Test
  void gatewayImageRunsAsItsUserValidatesTheNodeAgentConfigAndServesHealth() throws Exception {
    OciImage image = gateway();
    assertThat(image.repoTags()).containsExactly("vigil/gateway:" + Repo.imageTag());
    assertThat(image.user()).isEqualTo("10001:10001");
    assertThat(image.entrypoint()).startsWith("java").contains("-XX:MaxRAMPercentage=75")
        .endsWith("io.vigil.gateway.VigilGateway");
    assertThat(image.config.path("config").path("ExposedPorts").fieldNames())
        .toIterable().contains("4317/tcp", "4318/tcp", "8888/tcp");

    // The node agent's config, where the DaemonSet mounts it, with the DaemonSet's flags.
    Path configDir = Files.createDirectories(image.rootfs.resolve("etc/vigil"));
    Files.copy(Repo.KUBERNETES.resolve("base/node-agent/gateway.yaml"),
        configDir.resolve("gateway.yaml"));
    List<String> env = daemonSetEnvironment();
    List<String> validate = new ArrayList<>(image.entrypoint());
    validate.addAll(List.of("validate", "--config", "/etc/vigil/gateway.yaml"));
    // A network namespace of its own: validate binds 4317, 4318 and 8888 to check they are
    // free, which on this machine they need not be.
    ChildCommand.Result result = ChildCommand.run(image.runCommand(true, env, validate), Duration.ofSeconds(60));
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("/etc/vigil/gateway.yaml is valid: 3 pipeline(s)");

    int admin = FreePort.pick();
    List<String> serveEnv = new ArrayList<>(env);
    serveEnv.addAll(List.of("VIGIL_OTLP_GRPC_ENDPOINT=127.0.0.1:" + FreePort.pick(),
        "VIGIL_OTLP_HTTP_ENDPOINT=127.0.0.1:" + FreePort.pick(),
        "VIGIL_ADMIN_ENDPOINT=127.0.0.1:" + admin));
    Process gateway = new ProcessBuilder(image.runCommand(false, serveEnv, image.entrypoint()))
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("gateway.log").toFile())
        .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI health = URI.create("http://127.0.0.1:" + admin + "/health");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(health).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
      // The compose file's health check, run inside the image: bash and /dev/tcp, no curl.
      ChildCommand.Result check = ChildCommand.run(List.of("chroot", "--userspec=10001:10001",
          image.rootfs.toString(), "/bin/bash", "-c", ComposeFileTest.healthCheckScript(admin)),
          Duration.ofSeconds(20));
      assertThat(check.exit()).as(check.output()).isZero();
    } finally {
      OciImage.stop(gateway, Duration.ofSeconds(30));
    }
    assertThat(Files.readString(work.resolve("gateway.log")))
        .contains("Picked up JDK_JAVA_OPTIONS: -Xmx64m");
  }

  @Test
  void imageCarriesNativeLibrariesForLinuxOnItsOwnArchitectureOnly() throws Exception {
    OciImage image = gateway();
    Pattern own = switch (image.architecture()) {
      case "amd64" -> Pattern.compile("(linux|epoll).*(x86[-_]64|x64|amd64)");
      case "arm64" -> Pattern.compile("(linux|epoll).*aarch[-_]?64");
      default -> throw new AssertionError("an image for " + image.architecture());
    };
    Map<String, List<String>> natives = new TreeMap<>();
    List<String> classPath = new ArrayList<>();
    try (Stream<Path> files = Files.walk(image.rootfs.resolve("app"))) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        classPath.add(jar.getFileName().toString());
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          List<String> found = zip.stream().map(ZipEntry::getName)
              .filter(n -> NATIVE_LIBRARY.matcher(n).find() || n.contains(".dSYM/")).toList();
          if (!found.isEmpty()) {
            natives.put(jar.getFileName().toString(), found);
          }
        }
      }
    }
    System.out.printf("vigil/gateway %s: layers (compressed) %s bytes, %d jars%n",
        image.architecture(), image.layerSizes(), classPath.size());
    assertThat(classPath).as("a jar in two places: the filter missed an original")
        .doesNotHaveDuplicates();
    assertThat(natives.values().stream().flatMap(List::stream))
        .as("native libraries in the image's jars; a new dependency that carries some for"
            + " other systems goes into the gateway pom's image-native-libs step")
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.toLowerCase(Locale.ROOT))
            .as(n + " is for another system or architecture than the image's "
                + image.architecture())
            .doesNotContain("android", "musl").containsPattern(own));
    // What the ONNX models (anomaly connector, minilm classifier) load.
    assertThat(natives.values().stream().flatMap(List::stream))
        .anyMatch(n -> n.startsWith("ai/onnxruntime/native/linux-"))
        .anyMatch(n -> n.startsWith("native/lib/linux-"));
  }

  /** The literal env values of the node agent's DaemonSet container (fieldRefs stood in for). */
  private static List<String> daemonSetEnvironment() throws IOException {
    JsonNode ds = new YAMLMapper().readTree(
        Repo.KUBERNETES.resolve("base/node-agent/daemonset.yaml").toFile());
    List<String> env = new ArrayList<>();
    for (JsonNode e : ds.at("/spec/template/spec/containers/0/env")) {
      env.add(e.get("name").asText() + "=" + (e.has("value") ? e.get("value").asText()
          : "192.0.2.10"));
    }
    return env;
  }
}
