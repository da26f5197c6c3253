package io.vigil.extension.bearertokenauth;

import io.vigil.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Config of {@code bearertokenauth}; keys as the Collector's bearertokenauthextension. */
public class BearerTokenAuthConfig {
  /** Header that carries the token. */
  public String header = "Authorization";
  /** Word before the token in the header; empty = the header holds the bare token. */
  public String scheme = "Bearer";
  /** The token (write {@code ${env:TOKEN}} rather than the secret itself). */
  public String token = "";
  /** Tokens a server accepts, any of them; a client sends the first. */
  public List<String> tokens = new ArrayList<>();
  /**
   * File holding the token (whitespace around it ignored), re-read when it changes; takes
   * precedence over {@code token}/{@code tokens}, as in the Collector.
   */
  public String filename = "";

  void validate() {
    // A key written with no value (`token:`) binds null: refuse it by name, as a typo would be
    // (ConfigLoaderFuzzTest found the NullPointerException it caused).
    if (token == null) {
      throw new ConfigException("token", "has no value; give the token or leave the key out");
    }
    if (tokens == null) {
      throw new ConfigException("tokens", "has no value; give a list or leave the key out");
    }
    if (filename == null) {
      throw new ConfigException("filename", "has no value; give a path or leave the key out");
    }
    if (scheme == null) {
      throw new ConfigException("scheme", "has no value; \"\" sends the bare token");
    }
    boolean inline = !token.isEmpty() || !tokens.isEmpty();
    if (!inline && filename.isEmpty()) {
      throw new ConfigException("token", "one of token, tokens or filename is required");
    }
    if (!token.isEmpty() && !tokens.isEmpty()) {
      throw new ConfigException("tokens", "set either token or tokens, not both");
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i) == null || tokens.get(i).isBlank()) {
        throw new ConfigException("tokens::" + i, "must not be empty");
      }
    }
    if (header == null || header.isBlank()) {
      throw new ConfigException("header", "must not be empty");
    }
    if (!filename.isEmpty() && !Files.isReadable(Path.of(filename))) {
      throw new ConfigException("filename", "cannot read \"" + filename + "\"");
    }
  }
}
