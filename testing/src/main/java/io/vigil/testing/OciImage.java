package io.vigil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker save} tarball (what Jib's buildTar writes) unpacked as a container runtime
 * would: the layers in order into one root file system, and the image config beside it. The
 * images carry no whiteouts (Jib only adds files), so layers are extracted over each other.
 * The images' tests (GatewayImageIT, AgentImageIT) run entrypoints in it with {@link
 * #runCommand}, since no container engine runs on the build machines.
 */
public final class OciImage {

  public final Path rootfs;
  public final JsonNode manifest;
  public final JsonNode config;
  private final Path archive;

  private OciImage(Path archive, Path rootfs, JsonNode manifest, JsonNode config) {
    this.archive = archive;
    this.rootfs = rootfs;
    this.manifest = manifest;
    this.config = config;
  }

  public static OciImage unpack(Path tarball, Path workDir) throws IOException,
      InterruptedException {
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
    return new OciImage(archive, rootfs, manifest, config);
  }

  public List<String> repoTags() {
    return texts(manifest.get("RepoTags"));
  }

  public List<String> entrypoint() {
    return texts(config.path("config").path("Entrypoint"));
  }

  public String user() {
    return config.path("config").path("User").asText();
  }

  public List<String> env() {
    return texts(config.path("config").path("Env"));
  }

  /** The image's CPU architecture in the OCI spelling ({@code amd64}, {@code arm64}). */
  public String architecture() {
    return config.path("architecture").asText();
  }

  /** The compressed size of each layer, in the image's order (what a registry stores). */
  public List<Long> layerSizes() throws IOException {
    List<Long> sizes = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      sizes.add(Files.size(archive.resolve(layer.asText())));
    }
    return sizes;
  }

  /**
   * Stops a process {@link #runCommand} or {@link #runReadOnlyCommand} started, and what runs
   * inside it: SIGTERM to the whole tree (so a gateway drains as in a pod), then SIGKILL after
   * {@code grace}. Ending unshare alone is not enough: it does not pass SIGTERM on, and chroot's
   * change of user clears the parent-death signal its --kill-child relies on, so the command
   * would outlive the test (GatewayImageIT left its gateway running through the rest of CI).
   */
  public static void stop(Process started, Duration grace) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(started.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    started.destroy();
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : tree) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
      }
    }
    if (!started.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      started.destroyForcibly();
    }
  }

  /**
   * The command that runs {@code command} inside the image as its user: a new mount and PID
   * namespace with a fresh /proc (the JVM's launcher finds its libraries through
   * /proc/self/exe), optionally a network namespace of its own, then chroot into the root file
   * system with only the image's environment plus {@code extraEnv}. Stop what it started with
   * {@link #stop}: ending the returned process alone leaves the command running (see there).
   * Needs root, unshare, chroot and env in the image.
   */
  public List<String> runCommand(boolean ownNetwork, List<String> extraEnv,
      List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
        "--kill-child=SIGTERM", "--mount-proc=" + rootfs.resolve("proc")));
    if (ownNetwork) {
      cmd.add("--net");
    }
    return asUser(cmd, extraEnv, command);
  }

  /**
   * Like {@link #runCommand} without a network namespace of its own, and as a pod with {@code
   * readOnlyRootFilesystem: true} runs it: the root file system read-only, and each of {@code
   * writable} (a directory of this machine, by its absolute path in the image) bound over it,
   * as a pod's emptyDir volumes are mounted.
   */
  public List<String> runReadOnlyCommand(Map<String, Path> writable, List<String> extraEnv,
      List<String> command) {
    // The mount points are made first, as a container runtime makes them; then the root
    // goes read-only and the volumes are bound over it.
    StringBuilder mkdirs = new StringBuilder("mount --rbind \"$0\" \"$0\";");
    StringBuilder binds = new StringBuilder(" mount -o remount,bind,ro \"$0\" \"$0\";");
    List<String> args = new ArrayList<>();
    writable.forEach((inImage, dir) -> {
      mkdirs.append(" mkdir -p \"$0").append(inImage).append("\";");
      binds.append(" mount --bind \"$").append(args.size() + 1).append("\" \"$0")
          .append(inImage).append("\";");
      args.add(dir.toString());
    });
    StringBuilder script = mkdirs.append(binds);
    script.append(" shift ").append(args.size()).append("; exec \"$@\"");
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
        "--kill-child=SIGTERM", "--mount-proc=" + rootfs.resolve("proc"), "sh", "-ec",
        script.toString(), rootfs.toString()));
    cmd.addAll(args);
    return asUser(cmd, extraEnv, command);
  }

  /** {@code prefix}, then chroot into the image as its user with its environment only. */
  private List<String> asUser(List<String> prefix, List<String> extraEnv,
      List<String> command) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("chroot", "--userspec=" + user(), rootfs.toString(), "/usr/bin/env",
        "-i"));
    cmd.addAll(env());
    cmd.addAll(extraEnv);
    cmd.addAll(command);
    return cmd;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.asText()));
    return out;
  }

  private static void tar(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tar"));
    cmd.addAll(List.of(args));
    ChildCommand.Result result = ChildCommand.run(cmd, Duration.ofSeconds(120));
    if (result.exit() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + result.output());
    }
  }
}
