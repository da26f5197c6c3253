package io.vigil.gateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker save} tarball (what Jib's buildTar writes) unpacked as a container runtime
 * would: the layers in order into one root file system, and the image config beside it. The
 * images carry no whiteouts (Jib only adds files), so layers are extracted over each other.
 */
final class OciImage {

  final Path rootfs;
  final JsonNode manifest;
  final JsonNode config;

  private OciImage(Path rootfs, JsonNode manifest, JsonNode config) {
    this.rootfs = rootfs;
    this.manifest = manifest;
    this.config = config;
  }

  static OciImage unpack(Path tarball, Path workDir) throws IOException, InterruptedException {
    Path archive = Files.createDirectories(workDir.resolve("archive"));
    Path rootfs = Files.createDirectories(workDir.resolve("rootfs"));
    tar("-xf", tarball.toString(), "-C", archive.toString());
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(archive.resolve("manifest.json").toFile()).get(0);
    JsonNode config = json.readTree(archive.resolve(manifest.get("Config").asText()).toFile());
    for (JsonNode layer : manifest.get("Layers")) {
      // --numeric-owner: ownership as the image says, whatever this machine's users are.
      tar("--warning=no-unknown-keyword", "--numeric-owner", "-xzf",
          archive.resolve(layer.asText()).toString(), "-C", rootfs.toString());
    }
    return new OciImage(rootfs, manifest, config);
  }

  List<String> repoTags() {
    List<String> out = new ArrayList<>();
    manifest.get("RepoTags").forEach(t -> out.add(t.asText()));
    return out;
  }

  List<String> entrypoint() {
    List<String> out = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(t -> out.add(t.asText()));
    return out;
  }

  String user() {
    return config.path("config").path("User").asText();
  }

  List<String> env() {
    List<String> out = new ArrayList<>();
    config.path("config").path("Env").forEach(t -> out.add(t.asText()));
    return out;
  }

  /**
   * The command that runs {@code command} inside the image as its user: a new mount and PID
   * namespace with a fresh /proc (the JVM's launcher finds its libraries through
   * /proc/self/exe), optionally a network namespace of its own, then chroot into the root file
   * system with only the image's environment plus {@code extraEnv}. Ending the returned
   * process (SIGTERM) sends the command SIGTERM too, so a gateway drains as it would in a pod.
   */
  List<String> runCommand(boolean ownNetwork, List<String> extraEnv, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
        "--kill-child=SIGTERM", "--mount-proc=" + rootfs.resolve("proc")));
    if (ownNetwork) {
      cmd.add("--net");
    }
    cmd.addAll(List.of("chroot", "--userspec=" + user(), rootfs.toString(), "/usr/bin/env",
        "-i"));
    cmd.addAll(env());
    cmd.addAll(extraEnv);
    cmd.addAll(command);
    return cmd;
  }

  private static void tar(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tar"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
