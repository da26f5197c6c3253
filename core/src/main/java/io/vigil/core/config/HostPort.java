package io.vigil.core.config;

import java.net.InetSocketAddress;

/** A listen address from config: {@code host:port}; an empty host means all interfaces. */
public final class HostPort {

  private HostPort() {}

  public static InetSocketAddress parse(String endpoint, String keyPath) {
    int colon = endpoint == null ? -1 : endpoint.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(keyPath, "expected host:port, got \"" + endpoint + "\"");
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(keyPath, "port of \"" + endpoint + "\" is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(keyPath, "port " + port + " is out of range");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
