package io.vigil.extension.bearertokenauth;

import io.vigil.core.auth.AuthenticationException;
import io.vigil.core.auth.ClientAuthenticator;
import io.vigil.core.auth.ServerAuthenticator;
import io.vigil.core.component.ComponentSettings;
import io.vigil.core.component.Extension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks {@code Authorization: Bearer <token>} on receivers that name it and adds the same
 * header to the requests of exporters that name it.
 */
final class BearerTokenAuthExtension
    implements Extension, ServerAuthenticator, ClientAuthenticator {

  private final BearerTokenAuthConfig config;
  private final ComponentSettings settings;
  private final String header;
  private volatile TokenSource source;

  BearerTokenAuthExtension(ComponentSettings settings, BearerTokenAuthConfig config) {
    this.settings = settings;
    this.config = config;
    this.header = config.header.toLowerCase(Locale.ROOT);
  }

  @Override
  public void start() {
    source = TokenSource.of(config, settings.logger(BearerTokenAuthExtension.class));
  }

  @Override
  public void authenticate(Map<String, List<String>> headers) throws AuthenticationException {
    List<String> values = headers.get(header);
    if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
      throw new AuthenticationException("missing or empty " + config.header + " header");
    }
    String value = values.get(0);
    String prefix = config.scheme.isEmpty() ? "" : config.scheme + " ";
    if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new AuthenticationException(config.header + " header does not use the "
          + config.scheme + " scheme");
    }
    byte[] offered = value.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] t : source().tokens()) {
      // Every token compared in constant time, none skipped: the answer's timing tells nothing.
      match |= MessageDigest.isEqual(offered, t);
    }
    if (!match) {
      throw new AuthenticationException("invalid bearer token");
    }
  }

  @Override
  public Map<String, String> headers() {
    byte[] token = source().tokens().get(0);
    String prefix = config.scheme.isEmpty() ? "" : config.scheme + " ";
    return Map.of(config.header, prefix + new String(token, StandardCharsets.UTF_8));
  }

  private TokenSource source() {
    TokenSource s = source;
    if (s == null) {
      throw new IllegalStateException("bearertokenauth used before it started");
    }
    return s;
  }
}
