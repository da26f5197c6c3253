package io.vigil.core.auth;

import java.util.Map;

/**
 * Supplies the credentials an exporter sends: the Collector's {@code extensionauth.HTTPClient}
 * and {@code GRPCClient}, reduced to what both need, headers. Asked for every request, so a
 * credential rotated on disk is sent from the next request on.
 */
public interface ClientAuthenticator {

  /** Headers (or gRPC metadata) to add to the next request, e.g. {@code Authorization}. */
  Map<String, String> headers();
}
