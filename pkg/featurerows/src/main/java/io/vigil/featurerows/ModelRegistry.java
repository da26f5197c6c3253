package io.vigil.featurerows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory of versioned models: {@code <root>/<model>/<version>/model.onnx} and
 * {@code model.json} (what it was trained on and how it scored), versions {@code v0001},
 * {@code v0002}, ..., and {@code <root>/<model>/current}, a one-line file naming the version in
 * use. A version directory is written under a temporary name and renamed into place, and
 * {@code current} is replaced by a rename too, so a reader (the {@code failureprediction}
 * connector) never sees half a model. A plain file, not a symbolic link: it renames atomically
 * on every file system the gateway runs on, and a reader needs no link support.
 */
public final class ModelRegistry {

  public static final String MODEL_FILE = "model.onnx";
  public static final String METADATA_FILE = "model.json";
  public static final String CURRENT = "current";

  private static final Pattern VERSION = Pattern.compile("v(\\d{4,9})");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** One stored version. */
  public record Version(String model, String version, Path directory) {
    public Path modelFile() {
      return directory.resolve(MODEL_FILE);
    }

    public Path metadataFile() {
      return directory.resolve(METADATA_FILE);
    }
  }

  private final Path root;

  public ModelRegistry(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** @throws IllegalArgumentException for a name that is not one directory name */
  public static String checkName(String model) {
    if (model == null || !NAME.matcher(model).matches()) {
      throw new IllegalArgumentException("model name \"" + model + "\" must match "
          + NAME.pattern());
    }
    return model;
  }

  /** Versions of a model, oldest first; none when the model has no directory yet. */
  public List<String> versions(String model) throws IOException {
    Path dir = root.resolve(checkName(model));
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p) && VERSION.matcher(p.getFileName().toString()).matches()) {
          out.add(p.getFileName().toString());
        }
      }
    }
    out.sort(Comparator.comparingLong(ModelRegistry::number));
    return out;
  }

  /**
   * Stores a new version (the next number) and, when {@code makeCurrent}, points
   * {@code current} at it.
   */
  public Version publish(String model, byte[] onnx, String metadataJson, boolean makeCurrent)
      throws IOException {
    Path dir = root.resolve(checkName(model));
    Files.createDirectories(dir);
    List<String> existing = versions(model);
    long next = existing.isEmpty() ? 1 : number(existing.get(existing.size() - 1)) + 1;
    String version = String.format("v%04d", next);
    Path tmp = dir.resolve("." + version + ".tmp-" + UUID.randomUUID());
    Path target = dir.resolve(version);
    try {
      Files.createDirectories(tmp);
      Files.write(tmp.resolve(MODEL_FILE), onnx);
      Files.writeString(tmp.resolve(METADATA_FILE), metadataJson, StandardCharsets.UTF_8);
      // Two trainers publishing at once both pick the same number; the rename of the loser
      // fails rather than replacing the winner's directory.
      move(tmp, target);
    } catch (IOException e) {
      Files.deleteIfExists(tmp.resolve(MODEL_FILE));
      Files.deleteIfExists(tmp.resolve(METADATA_FILE));
      Files.deleteIfExists(tmp);
      throw e;
    }
    Version v = new Version(model, version, target);
    if (makeCurrent) {
      promote(v);
    }
    return v;
  }

  /** Points {@code current} at a stored version (a rename: readers see the old or the new). */
  public void promote(Version v) throws IOException {
    if (!Files.isRegularFile(v.modelFile())) {
      throw new NoSuchFileException(v.modelFile().toString());
    }
    Path dir = root.resolve(v.model());
    Path tmp = dir.resolve("." + CURRENT + ".tmp-" + UUID.randomUUID());
    Files.writeString(tmp, v.version() + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, dir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The version {@code current} names, if there is one and its directory exists. */
  public Optional<Version> current(String model) throws IOException {
    Path file = root.resolve(checkName(model)).resolve(CURRENT);
    String version;
    try {
      version = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!VERSION.matcher(version).matches()) {
      throw new IOException(file + " names \"" + version + "\", not a version like v0001");
    }
    Path dir = root.resolve(model).resolve(version);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "named by " + file);
    }
    return Optional.of(new Version(model, version, dir));
  }

  private static long number(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
