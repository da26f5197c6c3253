package io.vigil.extension.basicauth;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.vigil.core.config.ConfigException;

/**
 * Config of {@code basicauth}; keys as the Collector's basicauthextension: {@code htpasswd} for a
 * server authenticator, {@code client_auth} for a client one, exactly one of them.
 */
public class BasicAuthConfig {

  /** {@code htpasswd}: who may connect. */
  public static class Htpasswd {
    /** Path of an htpasswd file ({@code htpasswd -B -c FILE USER}). */
    public String file = "";
    /** htpasswd lines in the config itself, added to the file's. */
    public String inline = "";
  }

  /** {@code client_auth}: what an exporter sends. */
  public static class ClientAuth {
    public String username = "";
    public String password = "";
  }

  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public Htpasswd htpasswd;

  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public ClientAuth clientAuth;

  void validate() {
    if (htpasswd == null && clientAuth == null) {
      throw new ConfigException("htpasswd", "one of htpasswd (server) or client_auth (client) is"
          + " required");
    }
    if (htpasswd != null && clientAuth != null) {
      throw new ConfigException("client_auth",
          "set either htpasswd or client_auth; one extension is a server or a client");
    }
    if (htpasswd != null) {
      if (htpasswd.file.isEmpty() && htpasswd.inline.isBlank()) {
        throw new ConfigException("htpasswd", "one of file or inline is required");
      }
      HtpasswdEntries.load(htpasswd);
    }
    if (clientAuth != null) {
      if (clientAuth.username.isEmpty()) {
        throw new ConfigException("client_auth::username", "required");
      }
      if (clientAuth.username.contains(":")) {
        throw new ConfigException("client_auth::username", "must not contain ':' (RFC 7617)");
      }
    }
  }
}
