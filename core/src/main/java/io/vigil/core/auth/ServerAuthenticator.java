package io.vigil.core.auth;

import java.util.List;
import java.util.Map;

/**
 * Decides whether a request may enter: the Collector's {@code extensionauth.Server}. Called by a
 * receiver before it reads the request's body, on a transport thread: it must not block on I/O.
 */
public interface ServerAuthenticator {

  /**
   * Checks a request's credentials.
   *
   * @param headers the request's headers (HTTP) or metadata (gRPC), names in lower case
   * @throws AuthenticationException when the credentials are missing or wrong; its message is
   *     logged and returned to the client, so it never repeats the credentials
   */
  void authenticate(Map<String, List<String>> headers) throws AuthenticationException;
}
