package io.vigil.extension.basicauth;

import io.vigil.core.auth.AuthenticationException;
import io.vigil.core.auth.ClientAuthenticator;
import io.vigil.core.auth.ServerAuthenticator;
import io.vigil.core.component.Extension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Checks {@code Authorization: Basic} against htpasswd entries (server) or sends configured
 * credentials (client).
 *
 * <p>bcrypt costs tens of milliseconds by design and the check runs on a transport thread, so a
 * credential once verified is remembered (as a SHA-256 of the header, never the password) in a
 * small LRU set: a client sending the same header again costs a hash, not a bcrypt. Unknown users
 * are checked against a dummy bcrypt hash so their refusal takes as long as a wrong password's.
 */
final class BasicAuthExtension implements Extension, ServerAuthenticator, ClientAuthenticator {

  private static final int REMEMBERED = 1024;
  private static final PasswordHash DUMMY =
      PasswordHash.parse(BCrypt.hashpw("vigil-unknown-user", BCrypt.gensalt(10)));

  private final BasicAuthConfig config;
  private volatile Map<String, PasswordHash> users;
  private final Map<String, Boolean> verified =
      Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      });

  BasicAuthExtension(BasicAuthConfig config) {
    this.config = config;
  }

  @Override
  public void start() {
    if (config.htpasswd != null) {
      users = HtpasswdEntries.load(config.htpasswd);
    }
  }

  @Override
  public void authenticate(Map<String, List<String>> headers) throws AuthenticationException {
    Map<String, PasswordHash> u = users;
    if (u == null) {
      throw new AuthenticationException("basicauth has no htpasswd: it is a client authenticator");
    }
    List<String> values = headers.get("authorization");
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
      throw new AuthenticationException("missing or empty authorization header");
    }
    String value = values.get(0).strip();
    if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new AuthenticationException("authorization header does not use the Basic scheme");
    }
    String digest = sha256(value);
    if (verified.containsKey(digest)) {
      return;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value.substring(6).strip()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException("Basic credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new AuthenticationException("Basic credentials are not user:password");
    }
    PasswordHash hash = u.get(decoded.substring(0, colon));
    String password = decoded.substring(colon + 1);
    if (hash == null) {
      DUMMY.matches(password);
      throw new AuthenticationException("invalid username or password");
    }
    if (!hash.matches(password)) {
      throw new AuthenticationException("invalid username or password");
    }
    verified.put(digest, Boolean.TRUE);
  }

  @Override
  public Map<String, String> headers() {
    BasicAuthConfig.ClientAuth c = config.clientAuth;
    if (c == null) {
      throw new IllegalStateException("basicauth has no client_auth: it is a server authenticator");
    }
    String pair = c.username + ":" + c.password;
    return Map.of("Authorization",
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
