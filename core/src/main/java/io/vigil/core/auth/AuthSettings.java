package io.vigil.core.auth;

import io.vigil.core.component.ComponentId;
import io.vigil.core.component.Host;
import io.vigil.core.config.ConfigException;

/**
 * A component's {@code auth} block, as the Collector's {@code configauth}: the ID of the
 * authenticator extension to use, e.g. {@code auth: {authenticator: bearertokenauth}}.
 */
public class AuthSettings {
  /** ID of an extension listed in {@code service::extensions}. */
  public String authenticator = "";

  /** Checks the block at {@code keyPath} (e.g. {@code protocols::grpc::auth}). */
  public void validate(String keyPath) {
    id(keyPath);
  }

  /** The running server authenticator this block names; call from the component's start. */
  public ServerAuthenticator server(Host host, String keyPath) {
    return host.requireExtension(id(keyPath), ServerAuthenticator.class,
        keyPath + "::authenticator");
  }

  /** The running client authenticator this block names; call from the component's start. */
  public ClientAuthenticator client(Host host, String keyPath) {
    return host.requireExtension(id(keyPath), ClientAuthenticator.class,
        keyPath + "::authenticator");
  }

  private ComponentId id(String keyPath) {
    if (authenticator == null || authenticator.isEmpty()) {
      throw new ConfigException(keyPath + "::authenticator",
          "required: the ID of an authenticator extension, e.g. bearertokenauth");
    }
    try {
      return ComponentId.parse(authenticator);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(keyPath + "::authenticator", e.getMessage());
    }
  }
}
