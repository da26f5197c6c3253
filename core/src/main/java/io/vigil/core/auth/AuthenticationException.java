package io.vigil.core.auth;

/** A request's credentials are missing or wrong: gRPC UNAUTHENTICATED, HTTP 401. */
public final class AuthenticationException extends Exception {

  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
