package io.vigil.extension.filestorage;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.ComponentKind;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import io.vigil.core.config.ConfigException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;

/**
 * The {@code file_storage} extension: owns a directory and hands out one {@link DurableLog} per
 * client name (a sending queue asks for e.g. {@code exporter_otlp_traces}), all sharing the
 * directory's disk budget. At start it creates the directory, proves it writable and locks it,
 * so two gateways never write the same logs.
 */
public final class FileStorageExtension implements Extension {

  private static final String LOCK_FILE = ".lock";

  private final FileStorageConfig config;
  private final Logger log;
  private final DiskBudget budget;
  private final Map<String, DurableLog> logs = new ConcurrentHashMap<>();
  private Path directory;
  private FileChannel lockChannel;
  private FileLock lock;

  FileStorageExtension(ComponentSettings settings, FileStorageConfig config) {
    this.config = config;
    this.log = settings.logger(FileStorageExtension.class);
    this.budget = new DiskBudget(config.maxDiskBytes);
  }

  /**
   * The Collector's client naming ({@code kind_type_name_client}), so one extension can serve
   * several components without their logs colliding.
   */
  public static String clientName(ComponentKind kind, ComponentId id, String client) {
    String n = kind.name().toLowerCase() + "_" + id.type()
        + (id.name().isEmpty() ? "" : "_" + id.name()) + "_" + client;
    return n.replaceAll("[^A-Za-z0-9._-]", "~");
  }

  @Override
  public void start() throws Exception {
    directory = Path.of(config.directory).toAbsolutePath();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ConfigException("directory", "cannot create " + directory + ": " + e);
    }
    if (!Files.isDirectory(directory)) {
      throw new ConfigException("directory", directory + " is not a directory");
    }
    Path probe = directory.resolve(".write-probe");
    try {
      Files.write(probe, new byte[] {1});
      Files.delete(probe);
    } catch (IOException e) {
      throw new ConfigException("directory", directory + " is not writable by this process ("
          + e + "); give the gateway's user write access or choose another directory");
    }
    lockDirectory();
    log.info("file_storage ready in {} (fsync_policy {}, max_disk_bytes {}, segment_bytes {})",
        directory, config.effectiveFsyncPolicy().configName(), config.maxDiskBytes,
        config.segmentBytes);
  }

  private void lockDirectory() throws IOException {
    lockChannel = FileChannel.open(directory.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + config.timeout.toNanos();
    // Bounded by `timeout`: another process may be shutting down and about to release it.
    while (true) {
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM (another file_storage on the same directory)
      }
      if (lock != null) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        lockChannel.close();
        throw new ConfigException("directory", directory + " is in use by another file_storage"
            + " (lock " + directory.resolve(LOCK_FILE) + " held for longer than timeout "
            + config.timeout + "); give each gateway and extension its own directory");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /**
   * The log for {@code client}, opened (and recovered) on first use.
   *
   * @throws IllegalStateException before start or after shutdown
   * @throws IOException if the log's directory cannot be opened
   */
  public DurableLog log(String client) throws IOException {
    if (lock == null) {
      throw new IllegalStateException("file_storage is not running");
    }
    if (!client.matches("[A-Za-z0-9][A-Za-z0-9._~-]{0,200}")) {
      throw new IllegalArgumentException("client name \"" + client + "\" must be letters, digits"
          + " and . _ ~ -");
    }
    DurableLog existing = logs.get(client);
    if (existing != null) {
      return existing;
    }
    synchronized (logs) {
      DurableLog l = logs.get(client);
      if (l == null) {
        l = DurableLog.open(directory.resolve(client), LogOptions.from(config, budget));
        logs.put(client, l);
      }
      return l;
    }
  }

  /**
   * The client names with a log in the directory, opened or not: what earlier runs left too
   * (a load-balanced backend's queue whose backend is gone), in name order.
   *
   * @throws IllegalStateException before start or after shutdown
   * @throws IOException if the directory cannot be listed
   */
  public List<String> clients() throws IOException {
    if (lock == null) {
      throw new IllegalStateException("file_storage is not running");
    }
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, Files::isDirectory)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".")) {
          out.add(name);
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  /** The budget every log of this extension draws on. */
  public DiskBudget budget() {
    return budget;
  }

  @Override
  public void shutdown(Instant deadline) {
    for (Map.Entry<String, DurableLog> e : logs.entrySet()) {
      try {
        e.getValue().close();
      } catch (IOException ex) {
        log.warn("Closing log {} failed: {}", e.getKey(), ex.toString());
      }
    }
    logs.clear();
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      log.warn("Releasing the lock of {} failed: {}", directory, e.toString());
    }
    lock = null;
  }
}
