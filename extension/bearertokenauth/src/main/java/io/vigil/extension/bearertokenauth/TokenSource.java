package io.vigil.extension.bearertokenauth;

import io.vigil.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * The tokens in force: from the config, or from a file checked for changes at most once per
 * {@link #CHECK_EVERY} (a stat call) on the request path, so a rotated token file is honoured
 * within a second without a watcher thread. A file that turns empty or unreadable keeps the
 * previous token and is logged.
 */
final class TokenSource {

  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final Path file;
  private final Logger log;
  private volatile List<byte[]> tokens;
  private volatile String stamp = "";
  private volatile long nextCheck;

  private TokenSource(Path file, List<byte[]> tokens, Logger log) {
    this.file = file;
    this.tokens = tokens;
    this.log = log;
  }

  static TokenSource of(BearerTokenAuthConfig c, Logger log) {
    if (c.filename.isEmpty()) {
      List<String> t = c.token.isEmpty() ? c.tokens : List.of(c.token);
      return new TokenSource(null, t.stream().map(TokenSource::bytes).toList(), log);
    }
    TokenSource s = new TokenSource(Path.of(c.filename), List.of(), log);
    try {
      s.stamp = s.stamp();
      s.tokens = List.of(s.read());
    } catch (NoSuchFileException e) {
      throw new ConfigException("filename", "no such file \"" + c.filename + "\"");
    } catch (IOException e) {
      throw new ConfigException("filename", "cannot read \"" + c.filename + "\": " + e);
    }
    if (s.tokens.get(0).length == 0) {
      throw new ConfigException("filename", "\"" + c.filename + "\" holds no token");
    }
    s.nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
    return s;
  }

  /** The tokens now, re-reading the file first if it changed. */
  List<byte[]> tokens() {
    if (file != null && System.nanoTime() - nextCheck >= 0) {
      nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
      reloadIfChanged();
    }
    return tokens;
  }

  private synchronized void reloadIfChanged() {
    try {
      String now = stamp();
      if (now.equals(stamp)) {
        return;
      }
      byte[] t = read();
      if (t.length == 0) {
        log.warn("token file {} is empty; keeping the previous token", file);
        return;
      }
      tokens = List.of(t);
      stamp = now;
      log.info("token file {} changed; using the new token", file);
    } catch (IOException e) {
      log.warn("cannot read token file {}; keeping the previous token: {}", file, e.toString());
    }
  }

  private String stamp() throws IOException {
    return Files.getLastModifiedTime(file) + "/" + Files.size(file);
  }

  private byte[] read() throws IOException {
    return bytes(Files.readString(file, StandardCharsets.UTF_8).strip());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
