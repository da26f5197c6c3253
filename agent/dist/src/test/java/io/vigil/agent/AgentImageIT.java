package io.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.testing.ChildCommand;
import io.vigil.testing.ImagePrerequisites;
import io.vigil.testing.OciImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vigil/agent image against the agent injection that uses it
 * (deploy/kubernetes/components/agent-injection/inject.yaml): the init container's command,
 * run in the image as the pod runs it (its user, a read-only root file system, the shared
 * emptyDir mounted where the manifest mounts it), leaves the jar where the app container's
 * {@code JAVA_TOOL_OPTIONS -javaagent:} looks for it through its own mount of that volume, and
 * a JVM started with those options loads it as its agent.
 *
 * <p>The image is the one this build made with {@code -Pimages} (property {@code
 * vigil.agent.image}: CI's case, which also requires the test to run), else
 * deploy/images/target/vigil-agent.tar from deploy/images/build.sh; skipped, saying why, when
 * neither exists or root and the tools are missing.
 */
class AgentImageIT {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final Path INJECTION = ROOT.resolve(
      "deploy/kubernetes/components/agent-injection/inject.yaml");
  private static final Pattern JAVAAGENT = Pattern.compile("-javaagent:(\\S+)");

  @TempDir static Path work;
  private static OciImage image;
  private static JsonNode pod;

  /**
   * Per test, not in {@code @BeforeAll}: surefire reports a class skipped there as "Tests
   * run: 0" and drops the reason. The image is unpacked once.
   */
  @BeforeEach
  void unpack() throws Exception {
    ImagePrerequisites.needRootAndTools();
    String built = System.getProperty("vigil.agent.image", "");
    Path tarball = ImagePrerequisites.tarball(built.isBlank()
        ? ROOT.resolve("deploy/images/target/vigil-agent.tar") : Path.of(built));
    if (image == null) {
      image = OciImage.unpack(tarball, Files.createDirectories(work.resolve("image")));
      pod = new YAMLMapper().readTree(INJECTION.toFile()).at("/spec/template/spec");
    }
  }

  @Test
  void imageIsTheBuildsAgentJarRunAsTheUnprivilegedUser() throws Exception {
    assertThat(image.repoTags()).containsExactly("vigil/agent:"
        + System.getProperty("vigil.image.tag"));
    assertThat(image.user()).isEqualTo("10001:10001");
    // The manifest spells the entrypoint out as the init container's command: they must agree,
    // or an image rebuilt with another path would break only the manifests that rely on it.
    assertThat(image.entrypoint()).isEqualTo(texts(container("initContainers", "vigil-agent")
        .path("command")));
    Path jar = inImage(image.entrypoint().get(1));
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.stream().map(e -> e.getName()))
          .as("the Vigil extension inside the agent jar").anyMatch(n ->
              n.startsWith("extensions/") && n.endsWith(".jar"));
    }
    if (!System.getProperty("vigil.agent.image", "").isBlank()) {
      assertThat(jar).as("the image this build made carries this build's jar")
          .hasSameBinaryContentAs(Path.of(System.getProperty("vigil.agent.jar")));
    }
  }

  @Test
  void initContainerPutsTheJarWhereJavaToolOptionsLoadsIt() throws Exception {
    JsonNode init = container("initContainers", "vigil-agent");
    JsonNode app = container("containers", "app");
    assertThat(init.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    String userId = init.at("/securityContext/runAsUser").asText();

    // The emptyDir both containers mount: kubelet makes it world-writable and empty.
    String volume = pod.at("/volumes/0/name").asText();
    assertThat(pod.at("/volumes/0/emptyDir").isObject()).as("volume " + volume).isTrue();
    Path shared = Files.createDirectories(work.resolve("emptydir"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    String initMount = mountPath(init, volume);
    Files.createDirectories(inImage(initMount));

    // Mount namespace of its own: the image's root read-only, the volume bound at its mount
    // path, then the manifest's command (not the entrypoint: a command replaces it) as its
    // user, with the image's environment only.
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--fork", "sh", "-ec",
        "mount --bind \"$1\" \"$1\"; mount -o remount,bind,ro \"$1\" \"$1\";"
            + " mount --bind \"$2\" \"$1$3\"; shift 3; exec chroot --userspec=\"$0\" \"$@\"",
        userId + ":" + userId, image.rootfs.toString(), shared.toString(), initMount,
        image.rootfs.toString()));
    cmd.addAll(texts(init.path("command")));
    ChildCommand.Result copy = ChildCommand.run(cmd, imageEnvironment(), Duration.ofSeconds(30));
    assertThat(copy.exit()).as(copy.output()).isZero();

    // The app container sees the volume at its own mount path.
    String toolOptions = env(app, "JAVA_TOOL_OPTIONS");
    Matcher agent = JAVAAGENT.matcher(toolOptions);
    assertThat(agent.find()).as(toolOptions).isTrue();
    String appMount = mountPath(app, volume) + "/";
    assertThat(agent.group(1)).as("the -javaagent path is on the shared volume")
        .startsWith(appMount);
    Path copied = shared.resolve(agent.group(1).substring(appMount.length()));
    assertThat(copied).as("the jar the app loads").exists()
        .hasSameBinaryContentAs(inImage(image.entrypoint().get(1)));

    // And a JVM given those options starts with it as its agent (the agent's start-up took up
    // to a minute on the shared 2-core machine under load: a generous bound).
    Map<String, String> jvmEnv = new HashMap<>(Map.of("PATH", System.getenv("PATH"),
        "JAVA_TOOL_OPTIONS", toolOptions.replace(agent.group(1), copied.toString()),
        "OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none",
        "OTEL_LOGS_EXPORTER", "none"));
    ChildCommand.Result jvm = ChildCommand.run(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version"),
        jvmEnv, Duration.ofSeconds(180));
    assertThat(jvm.exit()).as(jvm.output()).isZero();
    assertThat(jvm.output()).contains("Picked up JAVA_TOOL_OPTIONS: -javaagent:" + copied)
        .containsPattern("opentelemetry-javaagent - version: \\d");
  }

  private static JsonNode container(String list, String name) {
    return named(pod.path(list), name, INJECTION + ": no " + list + " " + name);
  }

  private static String mountPath(JsonNode container, String volume) {
    return named(container.path("volumeMounts"), volume, container.path("name").asText()
        + " does not mount " + volume).path("mountPath").asText();
  }

  private static String env(JsonNode container, String name) {
    return named(container.path("env"), name, container.path("name").asText()
        + " does not set " + name).path("value").asText();
  }

  /** The element of a Kubernetes list (containers, env, mounts) with that name. */
  private static JsonNode named(JsonNode list, String name, String otherwise) {
    return StreamSupport.stream(list.spliterator(), false)
        .filter(n -> name.equals(n.path("name").asText())).findFirst()
        .orElseThrow(() -> new AssertionError(otherwise));
  }

  private static Map<String, String> imageEnvironment() {
    Map<String, String> env = new HashMap<>();
    for (String e : image.env()) {
      int eq = e.indexOf('=');
      env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return env;
  }

  private static Path inImage(String absolutePath) {
    return image.rootfs.resolve(absolutePath.substring(1));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.asText()));
    return out;
  }
}
