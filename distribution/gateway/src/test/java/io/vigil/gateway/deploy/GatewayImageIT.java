package io.vigil.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.testing.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the images deploy/images/build.sh made, as a container runtime would start them but with
 * what this machine has: the layers unpacked into a root file system, and the image's entrypoint
 * run as the image's user under chroot, in namespaces of its own (unshare). The gateway image
 * validates the node agent's ConfigMap config with the DaemonSet's JVM flags and serves /health;
 * the agent image's entrypoint copies the jar to where the injection expects it.
 *
 * <p>The gateway image is the one this build made when it ran with {@code -Pimages} (property
 * {@code vigil.gateway.image}, set by that profile: CI's case), else deploy/images/target's.
 * Skipped, saying why, when an image was not built or the tools (root, unshare, chroot, tar) are
 * missing; with {@code vigil.images.required=true} (also set by {@code -Pimages}) those fail
 * instead, so a build that was asked for the images cannot pass without running them.
 */
class GatewayImageIT {

  private static final Path IMAGES = Repo.DEPLOY.resolve("images").resolve("target");

  /** Set by the images profile: the image must be run, a missing tool or image fails. */
  private static final boolean REQUIRED = Boolean.getBoolean("vigil.images.required");

  @TempDir static Path work;

  @BeforeAll
  static void tools() {
    need("root".equals(System.getProperty("user.name")),
        "not root: chroot and unshare need it; the images are not run");
    for (String tool : List.of("unshare", "chroot", "tar")) {
      need(Repo.onPath(tool) != null, tool + " not on the PATH");
    }
  }

  private static void need(boolean condition, String why) {
    if (REQUIRED) {
      assertThat(condition).as(why + " (vigil.images.required is set)").isTrue();
    }
    Assumptions.assumeTrue(condition, why);
  }

  private static OciImage image(Path tarball, String dir) throws Exception {
    need(Files.isRegularFile(tarball), tarball + " not built: run deploy/images/build.sh"
        + " first, or mvn -Pimages verify after deploy/images/build-base.sh (needs root and"
        + " mmdebstrap, umoci, skopeo)");
    return OciImage.unpack(tarball, Files.createDirectories(work.resolve(dir)));
  }

  private static Path gatewayImage() {
    String built = System.getProperty("vigil.gateway.image", "");
    return built.isBlank() ? IMAGES.resolve("vigil-gateway.tar") : Path.of(built);
  }

  @Test
  void gatewayImageRunsAsItsUserValidatesTheNodeAgentConfigAndServesHealth() throws Exception {
    OciImage image = image(gatewayImage(), "gateway");
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
    Result result = run(image.runCommand(true, env, validate), Duration.ofSeconds(60));
    assertThat(result.exit).as(result.output).isZero();
    assertThat(result.output).contains("/etc/vigil/gateway.yaml is valid: 3 pipeline(s)");

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
      Result check = run(List.of("chroot", "--userspec=10001:10001",
          image.rootfs.toString(), "/bin/bash", "-c", ComposeFileTest.healthCheckScript(admin)),
          Duration.ofSeconds(20));
      assertThat(check.exit).as(check.output).isZero();
    } finally {
      gateway.destroy();
      if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
    assertThat(Files.readString(work.resolve("gateway.log")))
        .contains("Picked up JDK_JAVA_OPTIONS: -Xmx64m");
  }

  @Test
  void agentImageCopiesTheJarWhereTheInjectionLoadsIt() throws Exception {
    // Made by deploy/images/build.sh only: agent/dist builds after this module (its tests run
    // the gateway), so a -Pimages build has not made it yet when this test runs.
    Path tarball = IMAGES.resolve("vigil-agent.tar");
    Assumptions.assumeTrue(Files.isRegularFile(tarball), tarball + " not built: run"
        + " deploy/images/build.sh first (needs root and mmdebstrap, umoci, skopeo)");
    OciImage image = image(tarball, "agent");
    assertThat(image.repoTags()).containsExactly("vigil/agent:" + Repo.imageTag());
    assertThat(image.user()).isEqualTo("10001:10001");
    assertThat(image.entrypoint()).containsExactly("cp",
        KubernetesManifestsTest.AGENT_JAR_IN_IMAGE, "/otel/vigil-agent.jar");
    Path jar = image.rootfs.resolve(KubernetesManifestsTest.AGENT_JAR_IN_IMAGE.substring(1));
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.stream().map(e -> e.getName()))
          .as("the Vigil extension inside the agent jar").anyMatch(n ->
              n.startsWith("extensions/") && n.endsWith(".jar"));
    }
    // The shared volume: an empty directory the pod's user can write.
    Path otel = Files.createDirectories(image.rootfs.resolve("otel"));
    Files.setPosixFilePermissions(otel, java.nio.file.attribute.PosixFilePermissions
        .fromString("rwxrwxrwx"));
    List<String> cmd = new ArrayList<>(List.of("chroot", "--userspec=" + image.user(),
        image.rootfs.toString(), "/bin/" + image.entrypoint().get(0)));
    cmd.addAll(image.entrypoint().subList(1, image.entrypoint().size()));
    Result result = run(cmd, Duration.ofSeconds(20));
    assertThat(result.exit).as(result.output).isZero();
    assertThat(otel.resolve("vigil-agent.jar")).hasSameBinaryContentAs(jar);
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

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Duration timeout) throws Exception {
    Path log = Files.createTempFile(work, "run", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeout + ": "
          + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
