package io.vigil.extension.basicauth;

import io.vigil.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Users and their password hashes from {@code htpasswd::file} and {@code htpasswd::inline}. */
final class HtpasswdEntries {

  private HtpasswdEntries() {}

  /** Every problem names its key and line; the inline lines override the file's. */
  static Map<String, PasswordHash> load(BasicAuthConfig.Htpasswd c) {
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    if (!c.file.isEmpty()) {
      String text;
      try {
        text = Files.readString(Path.of(c.file), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new ConfigException("htpasswd::file", "no such file \"" + c.file + "\"");
      } catch (IOException e) {
        throw new ConfigException("htpasswd::file", "cannot read \"" + c.file + "\": " + e);
      }
      parse(text, "htpasswd::file", users);
    }
    parse(c.inline, "htpasswd::inline", users);
    if (users.isEmpty()) {
      throw new ConfigException(c.file.isEmpty() ? "htpasswd::inline" : "htpasswd::file",
          "holds no user:hash line");
    }
    return users;
  }

  private static void parse(String text, String keyPath, Map<String, PasswordHash> into) {
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException(keyPath, "line " + (i + 1) + " is not user:hash");
      }
      String user = line.substring(0, colon);
      try {
        into.put(user, PasswordHash.parse(line.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(keyPath,
            "line " + (i + 1) + " (user \"" + user + "\"): " + e.getMessage());
      }
    }
  }
}
