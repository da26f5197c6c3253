package io.vigil.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What the image tests need, and what happens when it is missing: they skip, saying why, on a
 * developer's machine; with {@code vigil.images.required=true} (set by the modules' {@code
 * images} profile, so in CI) they fail instead, so a build that was asked for the images
 * cannot pass without running them.
 */
public final class ImagePrerequisites {

  private ImagePrerequisites() {}

  public static boolean required() {
    return Boolean.getBoolean("vigil.images.required");
  }

  /** Skips (or, when required, fails) unless {@code condition} holds. */
  public static void need(boolean condition, String why) {
    if (required()) {
      assertTrue(condition, why + " (vigil.images.required is set)");
    }
    Assumptions.assumeTrue(condition, why);
  }

  /** Root and the tools that unpack and run an image without a container engine. */
  public static void needRootAndTools() {
    need("root".equals(System.getProperty("user.name")),
        "not root: chroot and unshare need it; the images are not run");
    for (String tool : List.of("unshare", "chroot", "tar", "mount")) {
      need(onPath(tool), tool + " not on the PATH");
    }
  }

  /** The image tarball, which must exist. */
  public static Path tarball(Path tarball) {
    need(Files.isRegularFile(tarball), tarball + " not built: run deploy/images/build.sh"
        + " first, or mvn -Pimages verify after deploy/images/build-base.sh (needs root and"
        + " mmdebstrap, umoci, skopeo)");
    return tarball;
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
