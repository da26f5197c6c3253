package io.vigil.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo's parts are: the gateway jar, vigil-agent and the services jar, as the build
 * leaves them in the source tree (system properties override each path).
 */
record DemoLayout(Path java, Path gatewayJar, Path agentJar, Path servicesJar) {

  static DemoLayout find() {
    Path root = sourceRoot();
    return new DemoLayout(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        path("vigil.gateway.jar", root.resolve("distribution/gateway/target/vigil-gateway.jar")),
        path("vigil.agent.jar", root.resolve("agent/dist/target/vigil-agent.jar")),
        path("vigil.demo.services.jar",
            root.resolve("demo/services/target/vigil-demo-services-exec.jar")));
  }

  /** Fails naming the missing part and how to build it. */
  void check() {
    for (Path p : new Path[] {gatewayJar, agentJar, servicesJar}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " is missing: build it with"
            + " `mvn -B -DskipTests package` (bin/vigil-demo does this for you)");
      }
    }
  }

  private static Path path(String property, Path dflt) {
    String v = System.getProperty(property);
    return v == null || v.isBlank() ? dflt : Path.of(v);
  }

  /** The checkout this launcher was built in: demo/launcher/target/vigil-demo.jar is 4 levels down. */
  private static Path sourceRoot() {
    String explicit = System.getProperty("vigil.home");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    try {
      Path jar = Path.of(DemoLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = jar;
      for (int i = 0; i < 6 && dir != null; i++) {
        if (Files.isDirectory(dir.resolve("demo")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
          return dir;
        }
        dir = dir.getParent();
      }
    } catch (URISyntaxException | SecurityException e) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }
}
