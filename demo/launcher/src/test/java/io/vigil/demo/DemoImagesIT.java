package io.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.testing.ChildCommand;
import io.vigil.testing.FreePort;
import io.vigil.testing.ImagePrerequisites;
import io.vigil.testing.OciImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's two images as the Kubernetes demo (deploy/kubernetes/base/demo) runs them, with
 * what this machine has instead of a container engine: the layers unpacked, the entrypoint run
 * as the image's user under chroot with the root file system read-only and the manifest's
 * emptyDir volumes bound where it mounts them. vigil/demo-services runs inventory (it calls no
 * other service) with its Deployment's arguments and JVM flags and answers its health check and
 * its API; vigil/demo-traffic runs the Job's command against it. Both images are built in
 * demo/services and here (this module builds after demo/services, so CI's {@code -Pimages}
 * build has both before this test).
 *
 * <p>The images are this build's ({@code -Pimages}: properties {@code vigil.demo-services.image}
 * and {@code vigil.demo-traffic.image}, and the test is required), else deploy/images/target's
 * from deploy/images/build.sh; skipped, saying why, when neither exists or root and the tools
 * are missing.
 */
class DemoImagesIT {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final Path DEMO = ROOT.resolve("deploy/kubernetes/base/demo");
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir static Path work;

  @BeforeEach
  void tools() {
    ImagePrerequisites.needRootAndTools();
  }

  @Test
  void servicesImageRunsInventoryAsTheDeploymentDoesAndServesItsApi() throws Exception {
    OciImage image = unpack("vigil.demo-services.image", "vigil-demo-services.tar", "services");
    // Both unpacked before the service starts: unpacking the JRE layer while a JVM starts
    // beside it took over two minutes on the shared machine under load.
    OciImage trafficImage = unpack("vigil.demo-traffic.image", "vigil-demo-traffic.tar",
        "traffic");
    assertThat(image.repoTags()).containsExactly("vigil/demo-services:" + tag());
    JsonNode pod = YAML.readTree(DEMO.resolve("inventory.yaml").toFile())
        .at("/spec/template/spec");
    JsonNode shared = YAML.readTree(DEMO.resolve("demo-service.yaml").toFile())
        .at("/spec/template/spec");
    JsonNode app = named(pod.path("containers"), "app");
    JsonNode appShared = named(shared.path("containers"), "app");
    // What the manifests rely on the image for: the user they run as, the port they declare
    // and probe, the main class of the entrypoint, /tmp to mount the emptyDir on.
    assertThat(image.user()).isEqualTo(shared.at("/securityContext/runAsUser").asText() + ":"
        + shared.at("/securityContext/runAsGroup").asText());
    assertThat(image.config.path("config").path("ExposedPorts").fieldNames()).toIterable()
        .containsExactly(app.at("/ports/0/containerPort").asText() + "/tcp");
    assertThat(image.entrypoint()).startsWith("java")
        .endsWith("io.vigil.demo.services.DemoServicesApplication");
    assertThat(image.rootfs.resolve("app/classes/io/vigil/demo/services/"
        + "DemoServicesApplication.class")).isRegularFile();
    assertThat(appShared.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");

    // The Deployment's arguments, on a free port of loopback instead (this machine is shared).
    // Replaced, not appended: Spring reads a second --server.port as a list, and fails.
    int port = FreePort.pick();
    List<String> command = new ArrayList<>(image.entrypoint());
    app.path("args").forEach(a -> command.add(a.asText().startsWith("--server.port=")
        ? "--server.port=" + port : a.asText()));
    assertThat(command).as("the Deployment sets the port").contains("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    List<String> env = new ArrayList<>(List.of("JDK_JAVA_OPTIONS="
        + named(appShared.path("env"), "JDK_JAVA_OPTIONS").path("value").asText()));
    Process inventory = new ProcessBuilder(image.runReadOnlyCommand(
        Map.of("/tmp", emptyDir("services-tmp")), env, command))
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("inventory.log").toFile())
        .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      String probe = appShared.at("/readinessProbe/httpGet/path").asText();
      // Spring Boot's start took 20-140 s on the shared 2-core machine under load.
      await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
          .ignoreExceptions().untilAsserted(() -> {
            assertThat(inventory.isAlive()).as(log()).isTrue();
            HttpResponse<String> health = get(http, base + probe);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"role\":\"inventory\"");
          });
      HttpResponse<String> stock = get(http, base + "/api/stock");
      assertThat(stock.statusCode()).as(stock.body()).isEqualTo(200);
      assertThat(stock.body()).contains("espresso-beans");

      trafficImageRunsTheJobsCommandAgainst(trafficImage, base);
    } finally {
      OciImage.stop(inventory, Duration.ofSeconds(30));
    }
    assertThat(log()).contains("Picked up JDK_JAVA_OPTIONS: -Xmx256m");
  }

  /**
   * The Job's command, in the traffic image, with every service pointed at the running
   * inventory (it answers every health check) and a scenario of two seconds in place of the
   * 30-minute one: it waits for the services, plays, and exits 0.
   */
  private static void trafficImageRunsTheJobsCommandAgainst(OciImage image, String base)
      throws Exception {
    assertThat(image.repoTags()).containsExactly("vigil/demo-traffic:" + tag());
    JsonNode job = YAML.readTree(DEMO.resolve("traffic.yaml").toFile()).at("/spec/template/spec");
    JsonNode traffic = named(job.path("containers"), "traffic");
    assertThat(image.user()).isEqualTo(job.at("/securityContext/runAsUser").asText() + ":"
        + job.at("/securityContext/runAsGroup").asText());
    assertThat(image.entrypoint()).endsWith("io.vigil.demo.VigilDemo");
    List<String> args = new ArrayList<>();
    traffic.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args).contains("--scenario=demo");
    assertThat(Files.exists(image.rootfs.resolve("app/resources/scenarios/demo.yaml")))
        .as("the Job's scenario is built into the image").isTrue();

    Path tmp = emptyDir("traffic-tmp");
    Files.writeString(tmp.resolve("short.yaml"),
        "name: short\nduration: 2s\ntraffic: {shape: steady, rate: 5}\n");
    Path labels = emptyDir("traffic-labels");
    List<String> command = new ArrayList<>(image.entrypoint());
    for (String a : args) {
      command.add(a.startsWith("--scenario=") ? "--scenario=/tmp/short.yaml"
          : a.startsWith("--service=") ? a.replaceAll("=http://.*", "=" + base) : a);
    }
    String labelsMount = named(traffic.path("volumeMounts"), "labels").path("mountPath")
        .asText();
    ChildCommand.Result run = ChildCommand.run(image.runReadOnlyCommand(
        Map.of("/tmp", tmp, labelsMount, labels), List.of("JDK_JAVA_OPTIONS="
            + named(traffic.path("env"), "JDK_JAVA_OPTIONS").path("value").asText()), command),
        Duration.ofSeconds(120));
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("Services healthy: storefront, orders, inventory,"
        + " payments").contains("Scenario short finished");
  }

  private static OciImage unpack(String property, String fallback, String dir)
      throws Exception {
    String built = System.getProperty(property, "");
    Path tarball = ImagePrerequisites.tarball(built.isBlank()
        ? ROOT.resolve("deploy/images/target").resolve(fallback) : Path.of(built));
    return OciImage.unpack(tarball, Files.createDirectories(work.resolve(dir)));
  }

  /** What kubelet makes of an emptyDir: an empty directory anyone may write to. */
  private static Path emptyDir(String name) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String log() throws Exception {
    return Files.readString(work.resolve("inventory.log"));
  }

  private static String tag() {
    return System.getProperty("vigil.image.tag");
  }

  /** The element of a Kubernetes list (containers, env, mounts) with that name. */
  private static JsonNode named(JsonNode list, String name) {
    return StreamSupport.stream(list.spliterator(), false)
        .filter(n -> name.equals(n.path("name").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + list));
  }
}
