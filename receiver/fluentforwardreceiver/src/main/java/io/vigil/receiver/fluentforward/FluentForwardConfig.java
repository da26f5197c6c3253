package io.vigil.receiver.fluentforward;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.vigil.config.tls.TlsServerSettings;
import io.vigil.core.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config of the {@code fluentforward} receiver; keys as the collector's, plus a frame limit. */
public class FluentForwardConfig {
  /** TCP listen address. */
  public String endpoint = "0.0.0.0:24224";
  /** Largest forward frame accepted (Vigil's own key); a larger one closes the connection. */
  public int maxFrameSizeMib = 16;
  /** {@code security}: the forward protocol's handshake, with Fluentd in_forward's keys. */
  public Security security = new Security();
  /** Absent: plaintext. Present: TLS, and mutual TLS with {@code client_ca_file}. */
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public TlsServerSettings tls;

  /** Checks every key; problems name their path under the receiver. */
  public void validate() {
    if (maxFrameSizeMib < 1 || maxFrameSizeMib > 1024) {
      throw new ConfigException("max_frame_size_mib", "must be between 1 and 1024");
    }
    if (tls != null) {
      tls.validate("tls");
    }
    security.validate();
  }

  /**
   * The handshake: off while {@code shared_key} is empty. As in Fluentd, user authentication
   * ({@code user_auth}) rides on the shared-key handshake, so it needs a shared key too.
   */
  public static class Security {
    /** The key both sides know; clients prove it without sending it. */
    public String sharedKey = "";
    /** The name this server gives in its PONG. */
    public String selfHostname = "vigil-gateway";
    /** Clients must also prove a user's password (Fluentd's {@code user_auth}). */
    public boolean userAuth;
    /** Who may send when {@code user_auth} is on (Fluentd's {@code <user>} sections). */
    public List<User> users = new ArrayList<>();
    /** Vigil's own: refusing an address that keeps failing the handshake. */
    public Lockout lockout = new Lockout();

    boolean handshakes() {
      return sharedKey != null && !sharedKey.isEmpty();
    }

    void validate() {
      if (selfHostname == null || selfHostname.isBlank()) {
        throw new ConfigException("security::self_hostname", "must not be empty");
      }
      if (lockout == null) {
        throw new ConfigException("security::lockout",
            "must be a block with max_failures, window and duration");
      }
      lockout.validate("security::lockout");
      if (!userAuth) {
        return;
      }
      if (!handshakes()) {
        throw new ConfigException("security::shared_key",
            "required with user_auth: users authenticate in the shared-key handshake");
      }
      if (users == null || users.isEmpty()) {
        throw new ConfigException("security::users",
            "user_auth is on but no users are listed; add {username: ..., password: ...}");
      }
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int i = 0; i < users.size(); i++) {
        User u = users.get(i);
        String at = "security::users::" + i;
        if (u == null || u.username == null || u.username.isEmpty()) {
          throw new ConfigException(at + "::username", "must not be empty");
        }
        if (u.password == null || u.password.isEmpty()) {
          throw new ConfigException(at + "::password", "must not be empty");
        }
        Integer before = seen.put(u.username, i);
        if (before != null) {
          throw new ConfigException(at + "::username",
              "user \"" + u.username + "\" is listed twice (also at index " + before + ")");
        }
      }
    }

    /** Username to password. */
    Map<String, String> passwords() {
      Map<String, String> out = new LinkedHashMap<>();
      users.forEach(u -> out.put(u.username, u.password));
      return out;
    }
  }

  /**
   * {@code security::lockout}: after {@code max_failures} failed handshakes from one address
   * within {@code window}, that address's connections are closed at once for {@code duration}
   * (Vigil's own key; Fluentd has none). Counted per client IP address, so clients behind one
   * NAT share a count.
   */
  public static class Lockout {
    /** Failed handshakes that lock an address out; 0 turns the lock-out off. */
    public int maxFailures = 5;
    /** The failures must fall within this time of the first. */
    public Duration window = Duration.ofMinutes(1);
    /** How long the address is refused. */
    public Duration duration = Duration.ofMinutes(5);

    void validate(String keyPath) {
      if (maxFailures < 0) {
        throw new ConfigException(keyPath + "::max_failures", "must be 0 (off) or more");
      }
      if (maxFailures > 0) {
        ConfigException.requirePositive(window, keyPath + "::window");
        ConfigException.requirePositive(duration, keyPath + "::duration");
      }
    }
  }

  /** One user; the password is needed in clear, as the protocol's digest is salted per connection. */
  public static class User {
    public String username = "";
    public String password = "";

    @Override
    public String toString() {
      return username + ":****"; // never the password, whoever logs the config
    }
  }
}
